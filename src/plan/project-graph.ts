// The project as a graph for people to look at: services with their dependency conditions,
// networks and volumes. Unlike graph.ts (which orders work and refuses cycles), this one keeps a
// cycle and marks every edge on it, so `gantry graph` can show a learner the loop.
import type { Project, Service } from '../model/types.js';

export type NodeKind = 'service' | 'network' | 'volume';
export type EdgeKind = 'depends_on' | 'network_mode' | 'volumes_from' | 'network' | 'volume';

export interface GraphNode {
  /** Unique: 'service:web', 'network:default', 'volume:data'. */
  readonly id: string;
  readonly kind: NodeKind;
  /** The compose key: 'web', 'default', 'data'. */
  readonly name: string;
  readonly external: boolean;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  /** 'service_healthy', 'service_started, restart', '/var/lib/mysql', … ('' for none). */
  readonly label: string;
  /** The edge lies on a dependency cycle. */
  readonly cycle: boolean;
}

export interface ProjectGraph {
  readonly name: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

export interface ProjectGraphOptions {
  /** Leave networks and volumes out. @default false */
  readonly servicesOnly?: boolean;
  /**
   * Draw only these services and what they depend on, transitively (as `up web` selects them),
   * with only the networks and volumes those use. Names must be services of the project.
   * @default every service
   */
  readonly services?: readonly string[];
}

export function buildProjectGraph(project: Project, options: ProjectGraphOptions = {}): ProjectGraph {
  const all = Object.values(project.services);
  const allDependencies = all.flatMap((s) => dependencyEdges(s, project));
  const selected = options.services === undefined || options.services.length === 0 ? undefined : selectWithDependencies(options.services, allDependencies);
  const services = selected === undefined ? all : all.filter((s) => selected.has(s.name));
  const nodes: GraphNode[] = services.map((s) => ({ id: serviceId(s.name), kind: 'service', name: s.name, external: false }));
  // A selection is closed under dependencies, so filtering by source keeps every edge between drawn nodes.
  const dependencies = allDependencies.filter((e) => selected === undefined || selected.has(e.from.slice('service:'.length)));
  const onCycle = findCycleEdges(dependencies);
  const edges: GraphEdge[] = dependencies.map((e) => ({ ...e, cycle: onCycle.has(`${e.from}\u0000${e.to}`) }));
  if (options.servicesOnly !== true) {
    const attachments = services.flatMap(resourceEdges);
    const used = new Set(attachments.map((e) => e.to));
    const isDrawn = (id: string): boolean => selected === undefined || used.has(id);
    for (const network of Object.values(project.networks)) if (isDrawn(`network:${network.key}`)) nodes.push({ id: `network:${network.key}`, kind: 'network', name: network.key, external: network.external });
    for (const volume of Object.values(project.volumes)) if (isDrawn(`volume:${volume.key}`)) nodes.push({ id: `volume:${volume.key}`, kind: 'volume', name: volume.key, external: volume.external });
    edges.push(...attachments);
  }
  return { name: project.name, nodes, edges };
}

/** The named services and everything they reach along dependency edges; a cycle ends the walk, not the program. */
function selectWithDependencies(names: readonly string[], dependencies: readonly Edge[]): Set<string> {
  const selected = new Set<string>();
  const pending = [...names];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (selected.has(name)) continue;
    selected.add(name);
    for (const e of dependencies) if (e.from === serviceId(name)) pending.push(e.to.slice('service:'.length));
  }
  return selected;
}

/** The cycles as closed paths of service names (a → b → a), one per strongly connected group. */
export function describeCycles(graph: ProjectGraph): string[] {
  const cycleEdges = graph.edges.filter((e) => e.cycle);
  const groups: string[] = [];
  const seen = new Set<string>();
  for (const start of cycleEdges) {
    if (seen.has(start.from)) continue;
    const path = [start.from];
    let at = start;
    while (!path.includes(at.to)) {
      path.push(at.to);
      at = cycleEdges.find((e) => e.from === at.to) ?? at;
    }
    path.push(at.to);
    for (const id of path) seen.add(id);
    groups.push(path.slice(path.indexOf(at.to)).map((id) => id.slice('service:'.length)).join(' → '));
  }
  return groups;
}

function serviceId(name: string): string {
  return `service:${name}`;
}

type Edge = Omit<GraphEdge, 'cycle'>;

/** depends_on entries, then the implicit dependencies of network_mode: service:x and volumes_from. */
function dependencyEdges(service: Service, project: Project): Edge[] {
  const from = serviceId(service.name);
  const edges: Edge[] = service.dependsOn.map((d) => ({
    from, to: serviceId(d.service), kind: 'depends_on',
    label: [d.condition, ...(d.restart ? ['restart'] : []), ...(d.required ? [] : ['optional'])].join(', '),
  }));
  if (service.networkMode?.startsWith('service:')) edges.push({ from, to: serviceId(service.networkMode.slice('service:'.length)), kind: 'network_mode', label: 'network_mode' });
  for (const ref of service.volumesFrom) {
    if (!ref.startsWith('container:')) edges.push({ from, to: serviceId(ref.split(':')[0] ?? ref), kind: 'volumes_from', label: 'volumes_from' });
  }
  return edges.filter((e) => e.to.slice('service:'.length) in project.services);
}

function resourceEdges(service: Service): GraphEdge[] {
  const from = serviceId(service.name);
  const networks = Object.entries(service.networks).map(([key, n]): GraphEdge => ({ from, to: `network:${key}`, kind: 'network', label: n.aliases.join(', '), cycle: false }));
  const volumes = service.mounts
    .filter((m) => m.type === 'volume' && m.source !== undefined)
    .map((m): GraphEdge => ({ from, to: `volume:${m.source ?? ''}`, kind: 'volume', label: `${m.target}${m.readOnly ? ':ro' : ''}`, cycle: false }));
  return [...networks, ...volumes];
}

/** Edges inside a strongly connected component (Tarjan), self-loops included. */
function findCycleEdges(edges: readonly Edge[]): Set<string> {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const component = new Map<string, number>();
  const stack: string[] = [];
  let counter = 0;
  let components = 0;
  const connect = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        connect(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (!component.has(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      component.set(member, components);
      if (member === node) break;
    }
    components++;
  };
  for (const e of edges) if (!index.has(e.from)) connect(e.from);
  const marked = new Set<string>();
  for (const e of edges) {
    if (e.from === e.to || component.get(e.from) === component.get(e.to)) marked.add(`${e.from}\u0000${e.to}`);
  }
  return marked;
}
