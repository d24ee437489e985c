// Draws a ProjectGraph as Mermaid (pastes into Markdown on GitHub and GitLab) or Graphviz DOT.
// Dependency edges point from a service to what it depends on, labelled with the condition;
// edges on a cycle are drawn red and labelled "cycle".
import type { GraphEdge, GraphNode, ProjectGraph } from '../plan/project-graph.js';

export type GraphFormat = 'mermaid' | 'dot';

const CYCLE_COLOUR = '#d62728';

export function renderGraph(graph: ProjectGraph, format: GraphFormat): string {
  return format === 'dot' ? renderDot(graph) : renderMermaid(graph);
}

export function renderMermaid(graph: ProjectGraph): string {
  const ids = mermaidIds(graph.nodes);
  const id = (node: string): string => ids.get(node) ?? node;
  const lines = ['flowchart LR'];
  for (const node of graph.nodes) lines.push(`  ${id(node.id)}${mermaidShape(node)}`);
  const cycleLinks: number[] = [];
  graph.edges.forEach((edge, i) => {
    if (edge.cycle) cycleLinks.push(i);
    const label = edgeLabel(edge);
    const arrow = edge.kind === 'network' || edge.kind === 'volume' ? '-.-' : '-->';
    lines.push(`  ${id(edge.from)} ${arrow}${label === '' ? '' : `|"${escapeMermaid(label)}"|`} ${id(edge.to)}`);
  });
  if (cycleLinks.length > 0) lines.push(`  linkStyle ${cycleLinks.join(',')} stroke:${CYCLE_COLOUR},stroke-width:3px`);
  return `${lines.join('\n')}\n`;
}

export function renderDot(graph: ProjectGraph): string {
  const lines = [`digraph ${quoteDot(graph.name)} {`, '  rankdir=LR;', '  node [shape=box];'];
  for (const node of graph.nodes) {
    const shape = node.kind === 'network' ? ', shape=hexagon' : node.kind === 'volume' ? ', shape=cylinder' : '';
    lines.push(`  ${quoteDot(node.id)} [label=${quoteDot(nodeLabel(node))}${shape}];`);
  }
  for (const edge of graph.edges) {
    const attributes = [
      ...(edgeLabel(edge) === '' ? [] : [`label=${quoteDot(edgeLabel(edge))}`]),
      ...(edge.kind === 'network' || edge.kind === 'volume' ? ['style=dashed', 'arrowhead=none'] : []),
      ...(edge.cycle ? [`color=${quoteDot(CYCLE_COLOUR)}`, 'penwidth=2'] : []),
    ];
    lines.push(`  ${quoteDot(edge.from)} -> ${quoteDot(edge.to)}${attributes.length === 0 ? '' : ` [${attributes.join(', ')}]`};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function edgeLabel(edge: GraphEdge): string {
  return edge.cycle ? `${edge.label} (cycle)` : edge.label;
}

function nodeLabel(node: GraphNode): string {
  const external = node.external ? ' (external)' : '';
  return node.kind === 'service' ? node.name : `${node.kind} ${node.name}${external}`;
}

function mermaidShape(node: GraphNode): string {
  const label = `"${escapeMermaid(nodeLabel(node))}"`;
  if (node.kind === 'network') return `{{${label}}}`;
  if (node.kind === 'volume') return `[(${label})]`;
  return `[${label}]`;
}

/** Mermaid ids allow letters, digits and _: 'service:my-app' → 'service_my_app', made unique. */
function mermaidIds(nodes: readonly GraphNode[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const node of nodes) {
    const base = node.id.replace(/[^A-Za-z0-9_]/g, '_');
    let candidate = base;
    for (let n = 2; used.has(candidate); n++) candidate = `${base}_${n}`;
    used.add(candidate);
    ids.set(node.id, candidate);
  }
  return ids;
}

/** Mermaid's entity codes keep quotes and markup characters from ending a label. */
function escapeMermaid(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

function quoteDot(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
