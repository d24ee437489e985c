// planUp: the desired Project against the observed state → the operations `up` needs, as compose
// converges (keep what matches, start what stopped, recreate what changed, create what is missing).
import { GantryError, UsageError } from '../errors.js';
import type { Dependency, Project, Service } from '../model/types.js';
import { createDependencyGraph, effectiveDependencies, implicitTargets, nearestDependents, type DependencyGraph } from './graph.js';
import { configHash } from './hash.js';
import { imageChangeCause, resolveImageId, type ImageIds } from './image-change.js';
import { containerName } from './labels.js';
import { containersOf, findObservedNetworks, findObservedVolume, isAnonymousVolumeName, normalizeTarget, shortId, type ObservedContainer, type ObservedState } from './observed.js';
import { addRemoval, createPlanBuilder, operationId, type Plan, type PlanBuilder } from './operations.js';
import { addBuilds, buildCause, type BuildMode } from './plan-build.js';

export type PullMode = 'missing' | 'always' | 'never' | 'policy';

export interface PlanUpOptions {
  /** Limit `up` to these services (plus their dependencies unless `noDeps`). @default all */
  readonly services?: readonly string[];
  readonly noDeps?: boolean;
  readonly forceRecreate?: boolean;
  readonly noRecreate?: boolean;
  readonly removeOrphans?: boolean;
  /** Replicas per service, overriding the file (`--scale web=3`). */
  readonly scale?: Readonly<Record<string, number>>;
  /** `--pull`; 'policy' follows each service's pull_policy. @default 'policy' */
  readonly pull?: PullMode;
  /** Image references present on the engine (the caller asks; planning stays pure). */
  readonly imagesPresent: ReadonlySet<string>;
  /**
   * What each image reference resolves to: a container running another image id is recreated.
   * `up` plans twice, the second time with the ids read after its pulls and builds ran (see
   * image-stage.ts), so these also label the new containers. @default none: images are not compared
   */
  readonly imageIds?: ImageIds;
  /** Images of services with `build:`: 'missing' builds those the engine lacks; `--build` always, `--no-build` never. @default 'missing' */
  readonly build?: BuildMode;
  /** `-t`: grace period for containers stopped while recreating. @default the service's stop_grace_period */
  readonly timeoutSeconds?: number;
  /** `-V`: recreated containers get fresh anonymous volumes instead of their predecessor's. @default false */
  readonly renewAnonVolumes?: boolean;
}

interface UpContext {
  readonly project: Project;
  readonly observed: ObservedState;
  readonly options: PlanUpOptions;
  readonly graph: DependencyGraph;
  readonly selected: ReadonlySet<string>;
  readonly builder: PlanBuilder;
  /** Per service: the start/keep operation of each desired container (what dependents wait for). */
  readonly ready: Map<string, string[]>;
  readonly creates: Map<string, string[]>;
  readonly starts: Map<string, string[]>;
  readonly names: Map<string, string[]>;
  readonly stops: Map<string, string[]>;
  readonly recreated: Set<string>;
  /** Image → the buildImage operation that makes it. */
  readonly builds: Map<string, string>;
  /** Network name → id of the existing network containers join (the oldest of duplicates). */
  readonly networkIds: Map<string, string>;
}

export function planUp(project: Project, observed: ObservedState, options: PlanUpOptions): Plan {
  validateOptions(project, options);
  const graph = createDependencyGraph(project);
  const ctx: UpContext = {
    project, observed, options, graph,
    selected: selectServices(project, graph, options),
    builder: createPlanBuilder(),
    ready: new Map(), creates: new Map(), starts: new Map(), names: new Map(), stops: new Map(),
    recreated: new Set(), builds: new Map(), networkIds: new Map(),
  };
  const decide = (service: Service): string | undefined => buildCause(service, options.imagesPresent, options.build);
  for (const [image, id] of addBuilds({ builder: ctx.builder, project, services: ctx.selected, decide })) ctx.builds.set(image, id);
  // Start order, so a dependency's recreation is known before its dependents are decided.
  for (const name of ctx.selected) planService(ctx, name);
  for (const name of ctx.selected) linkDependencies(ctx, name);
  planOrphans(ctx);
  orderStops(ctx);
  assertImagesAvailable(ctx);
  return ctx.builder.build();
}

/**
 * A container cannot be created from an image the engine lacks and may not pull (`pull_policy:
 * never`, `--pull never`): say so before anything is created, rather than fail at create time.
 */
function assertImagesAvailable(ctx: UpContext): void {
  const missing: string[] = [];
  for (const name of ctx.selected) {
    const service = ctx.project.services[name] as Service;
    if ((ctx.creates.get(name) ?? []).length === 0) continue;
    if (ctx.options.imagesPresent.has(service.image) || ctx.options.imagesPresent.has(withDefaultTag(service.image))) continue;
    if (ctx.builder.has(operationId('pullImage', `image:${service.image}`)) || ctx.builds.has(service.image)) continue;
    if (service.build !== undefined) {
      // Only --no-build leaves an image with a build section neither present nor built.
      if (ctx.options.build === 'never') missing.push(`service "${name}": image ${service.image} is not on the engine, and --no-build forbids building it`);
      continue;
    }
    const why = (ctx.options.pull ?? 'policy') === 'never' ? '--pull never' : `pull_policy: ${service.pullPolicy ?? 'never'}`;
    missing.push(`service "${name}": image ${service.image} is not on the engine, and ${why} forbids pulling it`);
  }
  if (missing.length === 0) return;
  const hint = missing.some((m) => m.endsWith('--no-build forbids building it'))
    ? 'build it first (gantry build), or let up build what is missing: drop --no-build'
    : 'pull it first (docker pull IMAGE), or let Gantry pull what is missing: gantry up --pull missing';
  throw new GantryError(missing.join('\n'), { hint });
}

function validateOptions(project: Project, options: PlanUpOptions): void {
  if (options.forceRecreate === true && options.noRecreate === true) throw new UsageError('--force-recreate and --no-recreate cannot be combined');
  for (const [service, count] of Object.entries(options.scale ?? {})) {
    if (!(service in project.services)) throw new UsageError(`cannot scale "${service}": no such service`);
    if (!Number.isInteger(count) || count < 0) throw new UsageError(`invalid scale for "${service}": expected a whole number ≥ 0, got ${count}`);
  }
  for (const service of options.services ?? []) {
    if (!(service in project.services)) throw new UsageError(`no such service: ${service}`);
  }
}

/** The services `up` acts on, in start order. */
function selectServices(project: Project, graph: DependencyGraph, options: PlanUpOptions): Set<string> {
  const order = graph.startOrder();
  if (options.services === undefined || options.services.length === 0) return new Set(order);
  const wanted = new Set(options.services);
  if (options.noDeps !== true) {
    for (const name of options.services) for (const dep of graph.dependenciesOf(name, { transitive: true })) wanted.add(dep);
  }
  return new Set(order.filter((name) => wanted.has(name) && name in project.services));
}

function planService(ctx: UpContext, name: string): void {
  const service = ctx.project.services[name] as Service;
  const desired = ctx.options.scale?.[name] ?? service.replicas;
  const hash = configHash(service, ctx.project);
  const existing = containersOf(ctx.observed, name);
  const resources = planResources(ctx, service);
  const build = ctx.builds.get(service.image);
  const pull = build === undefined ? planPull(ctx, service) : undefined;
  const prerequisites = [...resources, ...[pull, build].filter((id): id is string => id !== undefined)];
  const forced = forcedRecreateCause(ctx, service);
  const imageId = resolveImageId(service.image, ctx.options.imageIds);
  for (const list of [ctx.ready, ctx.creates, ctx.starts, ctx.names]) list.set(name, []);
  for (const container of existing.slice(0, desired)) {
    const cause = forced ?? recreateCause(ctx, container, hash, imageId);
    if (cause !== undefined) {
      const { stopId, removeId } = addRemoval(ctx.builder, container, { cause, removeVolumes: false, ...stopTimeout(ctx, service) });
      if (stopId !== undefined) push(ctx.stops, name, stopId);
      addContainer(ctx, { service, number: container.number, hash, imageId, cause, replaces: container, after: [...prerequisites, removeId] });
      ctx.recreated.add(name);
    } else {
      addExisting(ctx, service, container, resources);
    }
  }
  const used = new Set(existing.map((c) => c.number));
  for (let number = 1, missing = desired - Math.min(desired, existing.length); missing > 0; number++) {
    if (used.has(number)) continue;
    addContainer(ctx, { service, number, hash, imageId, cause: existing.length === 0 ? 'not found' : 'scale up', after: prerequisites });
    missing--;
  }
  for (const container of existing.slice(desired)) {
    const { stopId } = addRemoval(ctx.builder, container, { cause: 'scale down', removeVolumes: false, ...stopTimeout(ctx, service) });
    if (stopId !== undefined) push(ctx.stops, name, stopId);
  }
}

/** A reason that applies to all of the service's containers: the flag, or a recreated dependency. */
function forcedRecreateCause(ctx: UpContext, service: Service): string | undefined {
  if (ctx.options.noRecreate === true) return undefined;
  if (ctx.options.forceRecreate === true) return 'force recreate';
  const implicit = new Set(implicitTargets(service));
  const trigger = effectiveDependencies(service).find((d) => (d.restart || implicit.has(d.service)) && ctx.recreated.has(d.service));
  return trigger === undefined ? undefined : `dependency ${trigger.service} recreated`;
}

function recreateCause(ctx: UpContext, container: ObservedContainer, hash: string, imageId: string | undefined): string | undefined {
  // A dead container cannot be started again, whatever the flags say.
  if (container.state === 'dead' || container.state === 'removing') return container.state;
  if (ctx.options.noRecreate === true) return undefined;
  if (container.configHash !== hash) return 'config changed';
  return imageChangeCause(container.imageId, imageId);
}

interface NewContainer {
  readonly service: Service;
  readonly number: number;
  readonly hash: string;
  /** The id the container is created from, when known, for compose's com.docker.compose.image label. */
  readonly imageId: string | undefined;
  readonly cause: string;
  readonly after: readonly string[];
  readonly replaces?: ObservedContainer;
}

function addContainer(ctx: UpContext, c: NewContainer): void {
  const name = c.service.containerName ?? containerName(ctx.project.name, c.service.name, c.number);
  const resource = `container:${name}`;
  const createId = ctx.builder.add({
    kind: 'createContainer', resource, cause: c.cause, service: c.service.name, number: c.number, name, configHash: c.hash,
    ...(c.imageId === undefined ? {} : { imageId: c.imageId }),
    ...(c.replaces === undefined ? {} : { replaces: c.replaces.id }),
    ...inheritedVolumes(ctx, c),
    ...joinedNetworkIds(ctx, c.service),
  });
  ctx.builder.after(createId, c.after);
  const startId = ctx.builder.add({ kind: 'startContainer', resource, cause: c.cause, service: c.service.name, name });
  ctx.builder.after(startId, [createId]);
  push(ctx.creates, c.service.name, createId);
  push(ctx.starts, c.service.name, startId);
  push(ctx.ready, c.service.name, startId);
  push(ctx.names, c.service.name, name);
}

/**
 * The replaced container's anonymous volumes, by target, for its successor (compose's inherit):
 * those at a target the service still mounts anonymously, and those at targets it does not mount
 * at all (image VOLUMEs; the create step keeps only those the image declares). Never a named
 * volume, nor a target now given to a named volume, a bind or a tmpfs.
 */
function inheritedVolumes(ctx: UpContext, c: NewContainer): { inheritVolumes?: Record<string, string> } {
  if (c.replaces === undefined || ctx.options.renewAnonVolumes === true) return {};
  const claimed = new Set(c.service.mounts.filter((m) => m.type !== 'volume' || m.source !== undefined).map((m) => normalizeTarget(m.target)));
  const named = new Set(Object.values(ctx.project.volumes).map((v) => v.name));
  const inherit: Record<string, string> = {};
  for (const mount of c.replaces.volumeMounts) {
    if (!isAnonymousVolumeName(mount.name) || named.has(mount.name) || claimed.has(mount.target)) continue;
    inherit[mount.target] = mount.name;
  }
  return Object.keys(inherit).length === 0 ? {} : { inheritVolumes: inherit };
}

/** Ids of the existing networks the container joins: a name a leftover duplicate shares is ambiguous. */
function joinedNetworkIds(ctx: UpContext, service: Service): { networkIds?: Record<string, string> } {
  const ids: Record<string, string> = {};
  for (const key of Object.keys(service.networks)) {
    const name = ctx.project.networks[key]?.name;
    const id = name === undefined ? undefined : ctx.networkIds.get(name);
    if (name !== undefined && id !== undefined) ids[name] = id;
  }
  return Object.keys(ids).length === 0 ? {} : { networkIds: ids };
}

/** Kept as it is: left running, or started again (once its networks and volumes exist) when it stopped. */
function addExisting(ctx: UpContext, service: Service, container: ObservedContainer, resources: readonly string[]): void {
  const resource = `container:${container.name}`;
  const running = container.state === 'running' || container.state === 'restarting' || container.state === 'paused';
  const id = ctx.builder.add({ kind: running ? 'keepContainer' : 'startContainer', resource, cause: container.state, service: service.name, name: container.name });
  if (!running) {
    ctx.builder.after(id, resources);
    push(ctx.starts, service.name, id);
  }
  push(ctx.ready, service.name, id);
  push(ctx.names, service.name, container.name);
}

/** Networks and volumes the service's containers need before they can be created or started. */
function planResources(ctx: UpContext, service: Service): string[] {
  const ids: (string | undefined)[] = [];
  for (const key of Object.keys(service.networks).sort()) ids.push(...planNetwork(ctx, key));
  for (const mount of service.mounts) {
    if (mount.type === 'volume' && mount.source !== undefined) ids.push(planVolume(ctx, mount.source));
  }
  return ids.filter((id): id is string => id !== undefined);
}

function planPull(ctx: UpContext, service: Service): string | undefined {
  const cause = pullCause(service, ctx.options);
  if (cause === undefined) return undefined;
  return ctx.builder.add({ kind: 'pullImage', resource: `image:${service.image}`, cause, image: service.image });
}

/**
 * Checks, creates or reuses the network. Of several labelled for the key under one name (a
 * concurrent `up` that crashed before removing its duplicate, engine 20.10), the oldest is kept
 * and joined by id, and the others are removed before any container is created or started: the
 * engine cannot start a container on a network whose name two networks share.
 */
function planNetwork(ctx: UpContext, key: string): string[] {
  const network = ctx.project.networks[key];
  if (network === undefined) return [];
  const resource = `network:${network.name}`;
  if (network.external) return [ctx.builder.add({ kind: 'checkExternal', resource, cause: 'external', target: 'network', name: network.name })];
  const [kept, ...duplicates] = findObservedNetworks(ctx.observed, key, network.name);
  if (kept === undefined) return [ctx.builder.add({ kind: 'createNetwork', resource, cause: 'not found', network: key, name: network.name })];
  ctx.networkIds.set(network.name, kept.id);
  return duplicates.map((duplicate) => ctx.builder.add({
    kind: 'removeNetwork', resource, qualifier: shortId(duplicate.id), cause: `duplicate of ${shortId(kept.id)}`, name: network.name, networkId: duplicate.id, duplicateOf: kept.id,
  }));
}

function planVolume(ctx: UpContext, key: string): string | undefined {
  const volume = ctx.project.volumes[key];
  if (volume === undefined) return undefined;
  const resource = `volume:${volume.name}`;
  if (volume.external) return ctx.builder.add({ kind: 'checkExternal', resource, cause: 'external', target: 'volume', name: volume.name });
  if (findObservedVolume(ctx.observed, key, volume.name) !== undefined) return undefined;
  return ctx.builder.add({ kind: 'createVolume', resource, cause: 'not found', volume: key, name: volume.name });
}

/**
 * Whether to pull, and why. Services with `build:` are never pulled unless their policy says
 * `always`: their image is built locally, and building is not planned here.
 */
function pullCause(service: Service, options: PlanUpOptions): string | undefined {
  const present = options.imagesPresent.has(service.image) || options.imagesPresent.has(withDefaultTag(service.image));
  const mode = options.pull ?? 'policy';
  if (mode === 'never') return undefined;
  if (mode === 'always') return service.build === undefined ? 'pull always' : undefined;
  if (mode === 'missing') return present || service.build !== undefined ? undefined : 'missing';
  const policy = service.pullPolicy ?? (service.build === undefined ? 'missing' : 'build');
  if (policy === 'always') return 'pull_policy always';
  if (policy === 'never' || policy === 'build') return undefined;
  return present ? undefined : 'missing';
}

function withDefaultTag(image: string): string {
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  return lastPart.includes(':') || image.includes('@') ? image : `${image}:latest`;
}

/** A container starts only once each selected dependency meets its condition. */
function linkDependencies(ctx: UpContext, name: string): void {
  const service = ctx.project.services[name] as Service;
  const starts = ctx.starts.get(name) ?? [];
  const creates = ctx.creates.get(name) ?? [];
  const implicit = new Set(implicitTargets(service));
  for (const dependency of effectiveDependencies(service)) {
    if (!ctx.selected.has(dependency.service)) continue;
    const ready = ctx.ready.get(dependency.service) ?? [];
    // network_mode/volumes_from name the other container at create time: it must exist.
    if (implicit.has(dependency.service)) for (const id of creates) ctx.builder.after(id, ready);
    if (starts.length === 0) continue;
    const gate = dependency.condition === 'service_started' ? ready : [addAwait(ctx, dependency, ready)];
    for (const id of starts) ctx.builder.after(id, gate);
  }
}

function addAwait(ctx: UpContext, dependency: Dependency, ready: readonly string[]): string {
  const id = ctx.builder.add({
    kind: 'awaitCondition',
    resource: `service:${dependency.service}`,
    qualifier: dependency.required ? dependency.condition : `${dependency.condition} optional`,
    cause: dependency.required ? 'depends_on' : 'depends_on, required: false',
    service: dependency.service,
    condition: dependency.condition,
    containers: ctx.names.get(dependency.service) ?? [],
    required: dependency.required,
  });
  ctx.builder.after(id, ready);
  return id;
}

function planOrphans(ctx: UpContext): void {
  const known = new Set([...Object.keys(ctx.project.services), ...ctx.project.disabledServices]);
  const orphans = ctx.observed.containers.filter((c) => !c.oneoff && !known.has(c.service));
  if (orphans.length === 0) return;
  if (ctx.options.removeOrphans !== true) {
    ctx.builder.warn(`orphan containers (${orphans.map((c) => c.name).join(', ')}) belong to services not in the file; --remove-orphans removes them`);
    return;
  }
  for (const container of orphans) {
    const { stopId } = addRemoval(ctx.builder, container, { cause: 'orphan', removeVolumes: false, ...stopTimeout(ctx) });
    if (stopId !== undefined) push(ctx.stops, container.service, stopId);
  }
}

/** Dependents stop before what they depend on, as in `down`. */
function orderStops(ctx: UpContext): void {
  for (const [service, stopIds] of ctx.stops) {
    const dependents = nearestDependents(ctx.graph, service, (d) => ctx.stops.has(d)).flatMap((d) => ctx.stops.get(d) ?? []);
    for (const id of stopIds) ctx.builder.after(id, dependents);
  }
}

function stopTimeout(ctx: UpContext, service?: Service): { timeoutSeconds?: number } {
  if (ctx.options.timeoutSeconds !== undefined) return { timeoutSeconds: ctx.options.timeoutSeconds };
  if (service?.stopGracePeriod === undefined) return {};
  return { timeoutSeconds: Math.ceil(service.stopGracePeriod / 1e9) };
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
