// planDown: what `down` removes, from the observed state alone so a missing or broken file never
// blocks cleanup; the file, when there is one, only narrows the services and supplies the order.
import { createGraphFromEdges, nearestDependents } from './graph.js';
import { LABEL } from './labels.js';
import { isAnonymousVolumeName, shortId, type ObservedContainer, type ObservedState } from './observed.js';
import { addRemoval, createPlanBuilder, operationId, type Plan, type PlanBuilder } from './operations.js';
import type { Project } from '../model/types.js';

export interface PlanDownOptions {
  /** `-v`: also remove named volumes (and containers' anonymous ones). @default false */
  readonly removeVolumes?: boolean;
  /** Also remove containers of services the file no longer defines. @default false */
  readonly removeOrphans?: boolean;
  /** Only these services' containers; networks and volumes are then left alone. @default all */
  readonly services?: readonly string[];
  /**
   * service → services it depends on, from the file when there is one.
   * @default read from each container's com.docker.compose.depends_on label
   */
  readonly dependencyOrder?: Readonly<Record<string, readonly string[]>>;
  /**
   * Services the file defines (including profile-disabled ones); other containers are orphans.
   * @default undefined: without a file, every container of the project is removed
   */
  readonly projectServices?: readonly string[];
  /** `--rmi`: 'local' removes images named after the service (built ones), 'all' every image used. */
  readonly rmi?: 'local' | 'all';
  /** `-t`: stop grace period in seconds. @default the engine's */
  readonly timeoutSeconds?: number;
}

/** service → the services it depends on, as planDown's `dependencyOrder` takes it from a file. */
export function dependencyOrderOf(project: Project): Record<string, string[]> {
  return Object.fromEntries(Object.values(project.services).map((s) => [s.name, s.dependsOn.map((d) => d.service)]));
}

export function planDown(observed: ObservedState, options: PlanDownOptions = {}): Plan {
  const builder = createPlanBuilder();
  const targets = selectContainers(builder, observed, options);
  const stops = new Map<string, string[]>();
  const removals: string[] = [];
  for (const container of targets) {
    const removal = addRemoval(builder, container, {
      cause: isOrphan(container, options) ? 'orphan' : 'down',
      removeVolumes: options.removeVolumes === true,
      ...(options.timeoutSeconds === undefined ? {} : { timeoutSeconds: options.timeoutSeconds }),
    });
    if (removal.stopId !== undefined) stops.set(container.service, [...(stops.get(container.service) ?? []), removal.stopId]);
    removals.push(removal.removeId);
  }
  orderStops(builder, observed, stops, options);
  const limited = options.services !== undefined && options.services.length > 0;
  if (!limited) {
    // Networks and volumes are labelled with the project, so they are never external ones.
    // Each is removed by id: a duplicate a crashed concurrent `up` left shares its name (engine
    // 20.10), and the later ones get the short id in their operation id to stay distinct.
    const seen = new Set<string>();
    for (const network of observed.networks) {
      const duplicate = seen.has(network.name);
      seen.add(network.name);
      const id = builder.add({
        kind: 'removeNetwork', resource: `network:${network.name}`, cause: duplicate ? 'down, duplicate' : 'down', name: network.name, networkId: network.id,
        ...(duplicate ? { qualifier: shortId(network.id) } : {}),
      });
      builder.after(id, removals);
    }
    if (options.removeVolumes === true) {
      for (const volume of observed.volumes) {
        const id = builder.add({ kind: 'removeVolume', resource: `volume:${volume.name}`, cause: 'down -v', name: volume.name });
        builder.after(id, removals);
      }
    }
  }
  if (options.removeVolumes === true) planAnonymousVolumes(builder, observed, targets);
  planImages(builder, targets, removals, options.rmi);
  return builder.build();
}

function selectContainers(builder: PlanBuilder, observed: ObservedState, options: PlanDownOptions): ObservedContainer[] {
  const only = options.services !== undefined && options.services.length > 0 ? new Set(options.services) : undefined;
  const candidates = observed.containers.filter((c) => only === undefined || only.has(c.service));
  const orphans = candidates.filter((c) => isOrphan(c, options));
  if (orphans.length > 0 && options.removeOrphans !== true) {
    builder.warn(`orphan containers (${orphans.map((c) => c.name).join(', ')}) belong to services not in the file; --remove-orphans removes them`);
    return candidates.filter((c) => !isOrphan(c, options));
  }
  return candidates;
}

function isOrphan(container: ObservedContainer, options: PlanDownOptions): boolean {
  return options.projectServices !== undefined && !options.projectServices.includes(container.service);
}

/** Dependents stop first; the order comes from the file or, without one, from the labels. */
function orderStops(builder: PlanBuilder, observed: ObservedState, stops: ReadonlyMap<string, string[]>, options: PlanDownOptions): void {
  const edges: Record<string, string[]> = {};
  for (const container of observed.containers) {
    edges[container.service] = [...new Set([...(edges[container.service] ?? []), ...container.dependsOn])];
  }
  for (const [service, dependencies] of Object.entries(options.dependencyOrder ?? {})) edges[service] = [...dependencies];
  const graph = createGraphFromEdges(edges);
  for (const [service, stopIds] of stops) {
    const dependents = nearestDependents(graph, service, (d) => stops.has(d)).flatMap((d) => stops.get(d) ?? []);
    for (const id of stopIds) builder.after(id, dependents);
  }
}

/**
 * The removed containers' anonymous volumes. `rm -v` removes those the engine created for the
 * container, but not those mounted by name, which is how a recreated container inherits its
 * predecessor's: without this, `down -v` would leak every volume that lived through a recreate.
 */
function planAnonymousVolumes(builder: PlanBuilder, observed: ObservedState, targets: readonly ObservedContainer[]): void {
  const named = new Set(observed.volumes.map((v) => v.name));
  for (const container of targets) {
    for (const mount of container.volumeMounts) {
      if (!isAnonymousVolumeName(mount.name) || named.has(mount.name)) continue;
      const id = builder.add({ kind: 'removeVolume', resource: `volume:${mount.name}`, cause: 'anonymous', name: mount.name, anonymous: true });
      builder.after(id, [operationId('removeContainer', `container:${container.name}`)]);
    }
  }
}

/** Images go last, once no container of ours uses them. */
function planImages(builder: PlanBuilder, targets: readonly ObservedContainer[], removals: readonly string[], rmi: PlanDownOptions['rmi']): void {
  if (rmi === undefined) return;
  const images = new Set<string>();
  for (const container of targets) {
    const project = container.labels[LABEL.project] ?? '';
    // Without the file, "local" means the name compose gives built images: <project>-<service>.
    const isLocal = container.image === `${project}-${container.service}` || container.image.startsWith(`${project}-${container.service}:`);
    if (rmi === 'all' || isLocal) images.add(container.image);
  }
  for (const image of images) {
    const id = builder.add({ kind: 'removeImage', resource: `image:${image}`, cause: `rmi ${rmi}`, image });
    builder.after(id, removals);
  }
}
