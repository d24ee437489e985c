// PURE: the order of lifecycle commands (start, stop, restart…) as waves of services: every
// service of a wave may act at once, and each wave waits for the one before. `start` puts
// dependencies first; `stop` puts dependents first, as `down` does.
import type { Dependency, Project } from '../model/types.js';
import { createGraphFromEdges, effectiveDependencies } from './graph.js';

export type Direction = 'start' | 'stop';

/**
 * `services` grouped into waves by their depth in the dependency graph (`edges`: service →
 * services it depends on; targets that are not keys are ignored). Services not in `edges` have
 * no dependencies. Within a wave, names are sorted. A cycle throws CycleError.
 */
export function orderWaves(edges: Readonly<Record<string, readonly string[]>>, services: readonly string[], direction: Direction): string[][] {
  const all: Record<string, readonly string[]> = { ...edges };
  for (const service of services) all[service] ??= [];
  const graph = createGraphFromEdges(all);
  const depth = new Map<string, number>();
  for (const service of graph.startOrder()) {
    const dependencies = graph.dependenciesOf(service);
    depth.set(service, dependencies.length === 0 ? 0 : 1 + Math.max(...dependencies.map((d) => depth.get(d) ?? 0)));
  }
  const waves: string[][] = [];
  for (const service of new Set(services)) {
    const level = depth.get(service) ?? 0;
    (waves[level] ??= []).push(service);
  }
  const ordered = waves.filter((wave) => wave !== undefined).map((wave) => [...wave].sort());
  return direction === 'start' ? ordered : ordered.reverse();
}

/** service → services it depends on, from the file (depends_on plus network_mode/volumes_from). */
export function edgesFromProject(project: Project): Record<string, string[]> {
  return Object.fromEntries(Object.values(project.services).map((s) => [s.name, effectiveDependencies(s).map((d) => d.service)]));
}

/**
 * Compose's com.docker.compose.depends_on label (`db:service_healthy:false,cache:service_started:true`)
 * read back into dependencies, so `start` can wait for conditions without the file.
 */
export function parseDependsOnConditions(label: string | undefined): Dependency[] {
  if (label === undefined || label.trim() === '') return [];
  return label.split(',').flatMap((entry) => {
    const [service = '', condition = 'service_started', restart = 'false'] = entry.trim().split(':');
    if (service === '') return [];
    const known = condition === 'service_healthy' || condition === 'service_completed_successfully' ? condition : 'service_started';
    return [{ service, condition: known, restart: restart === 'true', required: true }];
  });
}
