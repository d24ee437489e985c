// The service dependency graph, built once per plan: start order, stop order and who depends on
// whom. The model's consistency stage reports cycles with file locations; this is the safety net
// for graphs that come from elsewhere (container labels during `down`).
import toposort from 'toposort';
import { CycleError } from '../errors.js';
import type { Dependency, Project, Service } from '../model/types.js';

export interface GraphQueryOptions {
  /** Follow edges all the way instead of one step. @default false */
  readonly transitive?: boolean;
}

export interface DependencyGraph {
  /** Every service, dependencies before dependents. */
  startOrder(): string[];
  /** Every service, dependents before dependencies. */
  stopOrder(): string[];
  /** Services `service` depends on, in start order. */
  dependenciesOf(service: string, options?: GraphQueryOptions): string[];
  /** Services that depend on `service`, in start order. */
  dependentsOf(service: string, options?: GraphQueryOptions): string[];
}

/**
 * A service's dependencies as the planner sees them: its `depends_on` entries plus the implicit
 * ones compose adds for `network_mode: service:x` and `volumes_from: x`. Both need the other
 * container to exist, and to be recreated along with it (its namespace or volumes change), so
 * implicit ones use `service_started` with `restart: true`.
 */
export function effectiveDependencies(service: Service): Dependency[] {
  const result = [...service.dependsOn];
  const seen = new Set(result.map((d) => d.service));
  for (const target of implicitTargets(service)) {
    if (seen.has(target)) continue;
    seen.add(target);
    result.push({ service: target, condition: 'service_started', restart: true, required: true });
  }
  return result;
}

/** Services named by `network_mode: service:x` and `volumes_from: x`. */
export function implicitTargets(service: Service): string[] {
  const targets: string[] = [];
  if (service.networkMode?.startsWith('service:')) targets.push(service.networkMode.slice('service:'.length));
  for (const ref of service.volumesFrom) {
    if (ref.startsWith('container:')) continue;
    targets.push(ref.split(':')[0] ?? ref);
  }
  return targets;
}

/** The graph of a loaded project; edges to services it does not define are ignored. */
export function createDependencyGraph(project: Project): DependencyGraph {
  const edges: Record<string, string[]> = {};
  for (const [name, service] of Object.entries(project.services)) {
    edges[name] = effectiveDependencies(service).map((d) => d.service).filter((d) => d in project.services);
  }
  return createGraphFromEdges(edges);
}

/**
 * A graph from `service → services it depends on`, e.g. read back from the depends_on labels
 * of running containers. Targets that are not keys are ignored (they have nothing to order).
 */
export function createGraphFromEdges(dependencies: Readonly<Record<string, readonly string[]>>): DependencyGraph {
  const nodes = Object.keys(dependencies);
  const forward = new Map<string, string[]>(nodes.map((n) => [n, (dependencies[n] ?? []).filter((d) => d in dependencies)]));
  const reverse = new Map<string, string[]>(nodes.map((n) => [n, []]));
  const edges: [string, string][] = [];
  for (const [from, targets] of forward) {
    for (const to of targets) {
      edges.push([to, from]);
      reverse.get(to)?.push(from);
    }
  }
  const order = sortOrThrow(nodes, edges, forward);
  const rank = new Map(order.map((n, i) => [n, i]));
  const byRank = (list: Iterable<string>): string[] => [...list].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
  return {
    startOrder: () => [...order],
    stopOrder: () => [...order].reverse(),
    dependenciesOf: (service, options) => byRank(follow(forward, service, options?.transitive ?? false)),
    dependentsOf: (service, options) => byRank(follow(reverse, service, options?.transitive ?? false)),
  };
}

/**
 * The dependents of `service` that `isMarked` accepts, looking through unmarked ones to their own
 * dependents: a stop waits for the nearest dependents being stopped, even past a finished job in
 * the chain that has nothing to stop (db ← migrate (exited) ← web: web stops before db).
 */
export function nearestDependents(graph: DependencyGraph, service: string, isMarked: (service: string) => boolean): string[] {
  const found = new Set<string>();
  const seen = new Set<string>([service]);
  const visit = (from: string): void => {
    for (const dependent of graph.dependentsOf(from)) {
      if (seen.has(dependent)) continue;
      seen.add(dependent);
      if (isMarked(dependent)) found.add(dependent);
      else visit(dependent);
    }
  };
  visit(service);
  return [...found];
}

function sortOrThrow(nodes: string[], edges: [string, string][], forward: ReadonlyMap<string, readonly string[]>): string[] {
  try {
    return toposort.array(nodes, edges);
  } catch (error) {
    const cycle = findCycle(forward);
    if (cycle === undefined) throw error;
    const path = cycle.join(' → ');
    const first = cycle[0] ?? '';
    throw new CycleError(cycle, [{ file: '-', line: 0, column: 0, path: ['services', first, 'depends_on'], message: `dependency cycle: ${path}` }]);
  }
}

function follow(edges: ReadonlyMap<string, readonly string[]>, start: string, transitive: boolean): Set<string> {
  const found = new Set<string>();
  const pending = [...(edges.get(start) ?? [])];
  while (pending.length > 0) {
    const next = pending.pop() as string;
    if (found.has(next)) continue;
    found.add(next);
    if (transitive) pending.push(...(edges.get(next) ?? []));
  }
  found.delete(start);
  return found;
}

/** A loop in `service → dependencies`, closed (a → b → a), found by depth-first search. */
function findCycle(forward: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    stack.push(node);
    for (const next of forward.get(node) ?? []) {
      const at = stack.indexOf(next);
      if (at >= 0) return [...stack.slice(at), next];
      if (!done.has(next)) {
        const cycle = visit(next);
        if (cycle !== undefined) return cycle;
      }
    }
    stack.pop();
    done.add(node);
    return undefined;
  };
  for (const node of forward.keys()) {
    if (done.has(node)) continue;
    const cycle = visit(node);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}
