// `gantry graph` as a specification: the Mermaid and DOT texts are parsed back, and every edge
// (dependency with its condition, network, volume) must be there, and nothing else. A file with
// a dependency cycle still loads for drawing, with exactly the loop's edges marked.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CycleError } from '../../src/errors.js';
import { loadProject } from '../../src/model/load.js';
import { buildProjectGraph, describeCycles } from '../../src/plan/project-graph.js';
import { renderDot, renderMermaid } from '../../src/ui/graph.js';

const fixtures = resolve(import.meta.dirname, '../fixtures/graph');
const load = (dir: string, allowCycle = false) =>
  loadProject({ cwd: resolve(fixtures, dir), env: {}, homeDir: homedir(), files: [resolve(fixtures, dir, 'compose.yaml')], allowCycle });

interface ParsedEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly style: 'dependency' | 'attachment';
  readonly cycle: boolean;
}

/** Nodes (id → label) and edges (named by node labels) of `flowchart` text. */
function parseMermaid(text: string): { nodes: Map<string, string>; edges: ParsedEdge[] } {
  const lines = text.trimEnd().split('\n');
  expect(lines[0]).toBe('flowchart LR');
  const nodes = new Map<string, string>();
  const raw: { from: string; to: string; label: string; style: ParsedEdge['style'] }[] = [];
  const styled = new Set<number>();
  for (const line of lines.slice(1)) {
    const node = /^ {2}(\w+)(?:\["(.*)"\]|\{\{"(.*)"\}\}|\[\("(.*)"\)\])$/.exec(line);
    const edge = /^ {2}(\w+) (-->|-\.-)(?:\|"(.*)"\|)? (\w+)$/.exec(line);
    const linkStyle = /^ {2}linkStyle ([\d,]+) stroke:#d62728,stroke-width:3px$/.exec(line);
    if (node) nodes.set(node[1] ?? '', node[2] ?? node[3] ?? node[4] ?? '');
    else if (edge) raw.push({ from: edge[1] ?? '', to: edge[4] ?? '', label: edge[3] ?? '', style: edge[2] === '-->' ? 'dependency' : 'attachment' });
    else if (linkStyle) for (const i of (linkStyle[1] ?? '').split(',')) styled.add(Number(i));
    else throw new Error(`unexpected Mermaid line: ${line}`);
  }
  const edges = raw.map((e, i) => ({ ...e, from: nodes.get(e.from) ?? e.from, to: nodes.get(e.to) ?? e.to, cycle: styled.has(i) }));
  return { nodes, edges };
}

function parseDot(text: string): { nodes: Map<string, string>; edges: ParsedEdge[] } {
  const lines = text.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^digraph "[^"]+" \{$/);
  expect(lines[lines.length - 1]).toBe('}');
  const nodes = new Map<string, string>();
  const edges: ParsedEdge[] = [];
  for (const line of lines.slice(3, -1)) {
    const node = /^ {2}"([^"]+)" \[label="([^"]*)"(?:, shape=\w+)?\];$/.exec(line);
    const edge = /^ {2}"([^"]+)" -> "([^"]+)"(?: \[(.*)\])?;$/.exec(line);
    if (node) nodes.set(node[1] ?? '', node[2] ?? '');
    else if (edge) {
      const attributes = edge[3] ?? '';
      edges.push({
        from: edge[1] ?? '', to: edge[2] ?? '', label: /label="([^"]*)"/.exec(attributes)?.[1] ?? '',
        style: attributes.includes('style=dashed') ? 'attachment' : 'dependency', cycle: attributes.includes('color="#d62728"'),
      });
    } else throw new Error(`unexpected DOT line: ${line}`);
  }
  return { nodes, edges: edges.map((e) => ({ ...e, from: nodes.get(e.from) ?? e.from, to: nodes.get(e.to) ?? e.to })) };
}

const describeEdge = (e: ParsedEdge): string => `${e.from} ${e.style === 'dependency' ? '->' : '--'} ${e.to} [${e.label}]${e.cycle ? ' cycle' : ''}`;

const STACK_EDGES = [
  'web -> api [service_healthy, restart]',
  'api -> db [service_started]',
  'api -> migrate [service_completed_successfully]',
  'api -> cache [service_started, optional]',
  'migrate -> db [service_started]',
  'sidecar -> web [network_mode]',
  'backup -> db [volumes_from]',
  'web -- network front []',
  'api -- network front []',
  'api -- network back [backend]',
  'migrate -- network back []',
  'db -- network back []',
  'cache -- network back []',
  'db -- volume data [/var/lib/db]',
  'db -- volume shared (external) [/shared:ro]',
];

describe('gantry graph', () => {
  const stack = buildProjectGraph(load('stack').project);

  it('draws every dependency, network and volume edge in Mermaid, and nothing else', () => {
    const { nodes, edges } = parseMermaid(renderMermaid(stack));
    expect(edges.map(describeEdge).sort()).toEqual([...STACK_EDGES].sort());
    expect([...nodes.values()].sort()).toEqual(['api', 'backup', 'cache', 'db', 'migrate', 'network back', 'network front', 'sidecar', 'volume data', 'volume shared (external)', 'web']);
  });

  it('draws the same edges in DOT', () => {
    const { edges } = parseDot(renderDot(stack));
    expect(edges.map(describeEdge).sort()).toEqual([...STACK_EDGES].sort());
  });

  it('leaves networks and volumes out with --services-only', () => {
    const servicesOnly = buildProjectGraph(load('stack').project, { servicesOnly: true });
    const { nodes, edges } = parseMermaid(renderMermaid(servicesOnly));
    expect(edges.map(describeEdge).sort()).toEqual(STACK_EDGES.filter((e) => e.includes(' -> ')).sort());
    expect([...nodes.values()]).not.toContain('network back');
  });

  it('refuses a cycle when loading for up, but loads it for drawing and marks exactly the loop', () => {
    expect(() => load('cycle')).toThrow(CycleError);
    const loaded = load('cycle', true);
    expect(loaded.cycle).toEqual(['a', 'b', 'c', 'a']);
    const graph = buildProjectGraph(loaded.project, { servicesOnly: true });
    const expected = [
      'a -> b [service_started (cycle)] cycle',
      'b -> c [service_healthy (cycle)] cycle',
      'c -> a [service_started (cycle)] cycle',
      'd -> a [service_started]',
    ];
    expect(parseMermaid(renderMermaid(graph)).edges.map(describeEdge).sort()).toEqual(expected);
    expect(parseDot(renderDot(graph)).edges.map(describeEdge).sort()).toEqual(expected);
    expect(describeCycles(graph)).toEqual(['a → b → c → a']);
  });

  it('draws only the named services, what they depend on, and the networks and volumes those use', () => {
    const only = (services: string[], servicesOnly = false) => parseMermaid(renderMermaid(buildProjectGraph(load('stack').project, { services, servicesOnly })));
    const cache = only(['cache']);
    expect(cache.edges.map(describeEdge)).toEqual(['cache -- network back []']);
    expect([...cache.nodes.values()].sort()).toEqual(['cache', 'network back']);
    const backup = only(['backup']);
    expect(backup.edges.map(describeEdge).sort()).toEqual([
      'backup -> db [volumes_from]', 'db -- network back []', 'db -- volume data [/var/lib/db]', 'db -- volume shared (external) [/shared:ro]',
    ]);
    expect([...backup.nodes.values()].sort()).toEqual(['backup', 'db', 'network back', 'volume data', 'volume shared (external)']);
    // Transitively, through the implicit network_mode dependency: sidecar → web → api → db, migrate, cache.
    const sidecar = only(['sidecar'], true);
    expect([...sidecar.nodes.values()].sort()).toEqual(['api', 'cache', 'db', 'migrate', 'sidecar', 'web']);
    expect(sidecar.edges.map(describeEdge).sort()).toEqual(STACK_EDGES.filter((e) => e.includes(' -> ') && !e.startsWith('backup')).sort());
    // Two names: the union of both selections, each node once.
    expect([...only(['migrate', 'cache'], true).nodes.values()].sort()).toEqual(['cache', 'db', 'migrate']);
  });

  it('follows a selection into a cycle without looping, and still marks it', () => {
    const graph = buildProjectGraph(load('cycle', true).project, { servicesOnly: true, services: ['d'] });
    expect(graph.nodes.map((n) => n.name).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(describeCycles(graph)).toEqual(['a → b → c → a']);
    const fromC = buildProjectGraph(load('cycle', true).project, { servicesOnly: true, services: ['c'] });
    expect(fromC.nodes.map((n) => n.name).sort()).toEqual(['a', 'b', 'c']);
  });

  it('keeps names Mermaid cannot take as ids readable, and quotes DOT strings', () => {
    const graph = { name: 'my "app"', nodes: [{ id: 'service:my-app', kind: 'service' as const, name: 'my-app', external: false }, { id: 'service:my.app', kind: 'service' as const, name: 'my.app', external: false }], edges: [] };
    expect(renderMermaid(graph)).toBe('flowchart LR\n  service_my_app["my-app"]\n  service_my_app_2["my.app"]\n');
    expect(renderDot(graph)).toContain('digraph "my \\"app\\"" {');
  });
});
