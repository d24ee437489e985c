// One engine-facing step per operation kind, each reporting its progress as events. The
// executor (execute.ts) decides when a step runs; here is only what it does.
import { DuplicateNetworkError, GantryError, EngineError } from '../errors.js';
import * as ev from '../events/events.js';
import type { EventSink } from '../events/events.js';
import type { Project, Service } from '../model/types.js';
import { LABEL } from '../plan/labels.js';
import { compareNetworkAge } from '../plan/observed.js';
import type { Operation } from '../plan/operations.js';
import { createContainerSpec, createNetworkSpec, createVolumeSpec } from './container-spec.js';
import type { ContainerDetails, Engine, NetworkSummary, PullProgress } from './engine.js';
import { buildServiceImage } from './build-step.js';
import { injectFiles } from './inject-files.js';
import { awaitContainer, ConditionError, systemClock, type Clock } from './wait.js';

export interface StepContext {
  /** Bounded by the executor's queue: each call takes one slot, and only while it runs. */
  readonly engine: Engine;
  readonly project: Project | undefined;
  readonly sink: EventSink;
  readonly signal: AbortSignal | undefined;
  readonly clock: Clock | undefined;
  readonly waitTimeoutMs: number | undefined;
  readonly stopTimeoutSeconds: number | undefined;
  /**
   * Network name → the id this run's createNetwork steps settled on. Containers then join by id:
   * while a concurrent `up` briefly holds a duplicate (engine 20.10), the name is ambiguous.
   */
  readonly networkIds?: Map<string, string>;
  /** Set when another stop waits for a stop's container to exit (execute.ts watchExits). */
  readonly exits?: ExitWatch;
}

/** Kill and die events of the containers being stopped (execute.ts watchExits). */
export interface ExitWatch {
  /** Just before the stop is sent: only a kill seen after this, and the die after it, count. */
  arm(containerId: string): void;
  /** Resolves when the armed container's process has exited; never rejects. */
  exited(containerId: string): Promise<void>;
  close(): void;
}

type Of<K extends Operation['kind']> = Extract<Operation, { kind: K }>;

/** How long a conflicting name may stay reserved by a create still in progress. */
const RESERVED_NAME_WAIT_MS = 10_000;
/** How long another run's removal of a container may take before ours gives up. */
const REMOVAL_WAIT_MS = 30_000;
/** How long a network name may stay duplicated by a concurrent `up` before start gives up. */
const AMBIGUOUS_NETWORK_WAIT_MS = 10_000;

export async function performStep(op: Operation, ctx: StepContext): Promise<void> {
  switch (op.kind) {
    case 'createNetwork': return createNetwork(op, ctx);
    case 'createVolume': return createVolume(op, ctx);
    case 'checkExternal': return checkExternal(op, ctx);
    case 'pullImage': return pullImage(op, ctx);
    case 'buildImage': return buildServiceImage(op, { ...ctx, project: requireProject(ctx) });
    case 'createContainer': return createContainer(op, ctx);
    case 'startContainer':
      ctx.sink.emit(ev.starting(op.name));
      await startContainer(ctx, op.name);
      return ctx.sink.emit(ev.started(op.name));
    case 'keepContainer': return ctx.sink.emit(ev.running(op.name));
    case 'awaitCondition': return awaitCondition(op, ctx);
    case 'stopContainer': {
      ctx.sink.emit(ev.stopping(op.name));
      const timeoutSeconds = op.timeoutSeconds ?? ctx.stopTimeoutSeconds;
      // "Stopped" as soon as the process has exited, which is when dependencies start stopping:
      // the call itself returns only after the engine's cleanup.
      let reported = false;
      const report = (): void => {
        if (reported) return;
        reported = true;
        ctx.sink.emit(ev.stopped(op.name));
      };
      ctx.exits?.arm(op.containerId);
      void ctx.exits?.exited(op.containerId).then(report);
      try {
        await ctx.engine.stopContainer(op.containerId, timeoutSeconds === undefined ? {} : { timeoutSeconds });
      } catch (error) {
        reported = true; // a failed stop reports its failure, not a late "Stopped"
        throw error;
      }
      return report();
    }
    case 'removeContainer':
      ctx.sink.emit(ev.removing('container', op.name));
      await removeContainer(ctx, op);
      return ctx.sink.emit(ev.removed('container', op.name));
    case 'removeNetwork': return removeNetwork(op, ctx);
    case 'removeVolume': return op.anonymous === true ? removeAnonymousVolume(op, ctx) : remove(ctx, 'volume', op.name, () => ctx.engine.removeVolume(op.name));
    case 'removeImage': return remove(ctx, 'image', op.image, () => ctx.engine.removeImage(op.image));
  }
}

async function remove(ctx: StepContext, kind: 'network' | 'volume' | 'image', name: string, call: () => Promise<void>): Promise<void> {
  ctx.sink.emit(ev.removing(kind, name));
  await call();
  ctx.sink.emit(ev.removed(kind, name));
}

/**
 * As compose: a network that containers the plan leaves in place still use (orphans kept without
 * --remove-orphans, containers of other projects) stays, with a warning, and `down` succeeds.
 * A duplicate `up` must remove is different: while it stays, the engine (20.10) refuses to start
 * any container on that name as ambiguous, so its containers cannot come up.
 */
async function removeNetwork(op: Of<'removeNetwork'>, ctx: StepContext): Promise<void> {
  ctx.sink.emit(ev.removing('network', op.name));
  try {
    await ctx.engine.removeNetwork(op.networkId);
  } catch (error) {
    // The engine answers 403 "has active endpoints" for a network in use.
    if (!(error instanceof EngineError && error.statusCode === 403)) throw error;
    if (op.duplicateOf !== undefined) throw new DuplicateNetworkError({ network: op.name, duplicateId: op.networkId, keptId: op.duplicateOf }, { cause: error });
    return ctx.sink.emit(ev.warning('network', op.name, 'In use', 'Resource is still in use'));
  }
  ctx.sink.emit(ev.removed('network', op.name));
}

/**
 * A removed container's anonymous volume that the engine's `rm -v` kept (it keeps those mounted
 * by name, as inherited ones are). One another container still uses stays, with a warning.
 */
async function removeAnonymousVolume(op: Of<'removeVolume'>, ctx: StepContext): Promise<void> {
  ctx.sink.emit(ev.removing('volume', op.name));
  try {
    await ctx.engine.removeVolume(op.name);
  } catch (error) {
    // 409 "volume is in use".
    if (!(error instanceof EngineError && error.statusCode === 409)) throw error;
    return ctx.sink.emit(ev.warning('volume', op.name, 'In use', 'Resource is still in use'));
  }
  ctx.sink.emit(ev.removed('volume', op.name));
}

function requireProject(ctx: StepContext): Project {
  if (ctx.project === undefined) throw new GantryError('internal: this plan needs the project to run');
  return ctx.project;
}

/**
 * Creates the project's network unless it exists. Engine 20.10 accepts two networks with one
 * name when two `up`s race, so after creating we list by name and, if there are two, every
 * runner keeps the oldest and removes its own: both converge on the same network.
 */
async function createNetwork(op: Of<'createNetwork'>, ctx: StepContext): Promise<void> {
  const project = requireProject(ctx);
  const network = project.networks[op.network];
  if (network === undefined) throw new GantryError(`internal: no network "${op.network}" in the project`);
  ctx.sink.emit(ev.creating('network', op.name));
  // Created without looking first (the plan saw none): the engine refuses a name it already has
  // (CheckDuplicate), and only then is the one there looked up. One round trip less before any
  // container can be created.
  const id = await ctx.engine.createNetwork(createNetworkSpec(project, network)).catch((error: unknown) => {
    if (error instanceof EngineError && error.statusCode === 409) return undefined;
    throw error;
  });
  if (id === undefined) {
    // Another runner created it since the plan was made, or a network not ours has the name.
    const existing = await ctx.engine.findNetwork(op.name);
    if (existing === undefined) throw new GantryError(`network ${op.name} was reported to exist, but could not be found`, { hint: 'run the command again' });
    assertOwnNetwork(existing, project.name, op.network);
    // Several may share the name: join the one the planner of any other run would keep.
    ctx.networkIds?.set(op.name, (await oldestOwnNetwork(ctx, project.name, op) ?? existing).id);
    return ctx.sink.emit(ev.created('network', op.name));
  }
  // Engine 20.10's duplicate check is not atomic: two runners may both have created one.
  const oldest = await oldestOwnNetwork(ctx, project.name, op);
  if (oldest !== undefined && oldest.id !== id) await ctx.engine.removeNetwork(id);
  ctx.networkIds?.set(op.name, oldest?.id ?? id);
  ctx.sink.emit(ev.created('network', op.name));
}

/** Of the project's networks for this key under this name, the oldest (see compareNetworkAge). */
async function oldestOwnNetwork(ctx: StepContext, project: string, op: Of<'createNetwork'>): Promise<NetworkSummary | undefined> {
  const same = (await ctx.engine.listNetworks({ [LABEL.project]: project, [LABEL.network]: op.network })).filter((n) => n.name === op.name);
  return same.sort(compareNetworkAge)[0];
}

function assertOwnNetwork(network: NetworkSummary, project: string, key: string): void {
  if (network.labels[LABEL.project] === project && network.labels[LABEL.network] === key) return;
  throw new GantryError(`network ${network.name} exists but was not created for project "${project}" (network "${key}")`, {
    hint: `set \`external: true\` on network "${key}" to use it, or remove it with: docker network rm ${network.name}`,
  });
}

/** Volume names are unique on the engine, and create is idempotent, so races need nothing more. */
async function createVolume(op: Of<'createVolume'>, ctx: StepContext): Promise<void> {
  const project = requireProject(ctx);
  const volume = project.volumes[op.volume];
  if (volume === undefined) throw new GantryError(`internal: no volume "${op.volume}" in the project`);
  ctx.sink.emit(ev.creating('volume', op.name));
  // No lookup first: the engine's create answers with the volume it has, which is the one that
  // was there if another has the name. One round trip less before its containers are created.
  const existing = await ctx.engine.createVolume(createVolumeSpec(project, volume));
  if (existing.labels[LABEL.project] !== project.name) {
    // As compose: use it, but say it is not ours.
    return ctx.sink.emit(ev.warning('volume', op.name, 'Exists', `volume ${op.name} already exists but was not created for this project; set \`external: true\` to use it knowingly`));
  }
  ctx.sink.emit(ev.created('volume', op.name));
}

async function checkExternal(op: Of<'checkExternal'>, ctx: StepContext): Promise<void> {
  const found = op.target === 'network' ? await ctx.engine.findNetwork(op.name) : await ctx.engine.findVolume(op.name);
  if (found === undefined) {
    throw new GantryError(`${op.target} ${op.name} is declared as external, but could not be found`, {
      hint: `create it first: docker ${op.target} create ${op.name}`,
    });
  }
  ctx.sink.emit({ ...ev.created(op.target, op.name), text: 'External' });
}

async function pullImage(op: Of<'pullImage'>, ctx: StepContext): Promise<void> {
  ctx.sink.emit(ev.pulling(op.image));
  const onProgress = (p: PullProgress): void => ctx.sink.emit(ev.pulling(op.image, describeProgress(p)));
  await ctx.engine.pullImage(op.image, onProgress, ctx.signal === undefined ? {} : { signal: ctx.signal });
  ctx.sink.emit(ev.pulled(op.image));
}

function describeProgress(p: PullProgress): string {
  const layer = p.layer === undefined ? '' : `${p.layer}: `;
  const amount = p.current !== undefined && p.total !== undefined && p.total > 0 ? ` ${Math.round((100 * p.current) / p.total)}%` : '';
  return `${layer}${p.status}${amount}`;
}

async function createContainer(op: Of<'createContainer'>, ctx: StepContext): Promise<void> {
  const project = requireProject(ctx);
  const service = project.services[op.service];
  if (service === undefined) throw new GantryError(`internal: no service "${op.service}" in the project`);
  const replacing = op.replaces !== undefined;
  ctx.sink.emit(replacing ? ev.recreating(op.name) : ev.creating('container', op.name));
  const inherit = op.inheritVolumes ?? {};
  const imageVolumes = await findImageVolumes(ctx, service, inherit);
  // The engine side of createContainer also joins the networks beyond the first (API 1.41).
  const id = await ctx.engine.createContainer(createContainerSpec({
    project, service, number: op.number, configHash: op.configHash, name: op.name,
    ...(op.imageId === undefined ? {} : { imageId: op.imageId }),
    ...(op.inheritVolumes === undefined ? {} : { inheritVolumes: op.inheritVolumes, imageVolumes }),
    ...joinedNetworkIds(op, ctx),
  })).catch(async (error: unknown): Promise<undefined> => {
    if (!(error instanceof EngineError && error.statusCode === 409 && (await isSameContainer(ctx, op, project.name)))) throw error;
    return undefined; // made by a concurrent `up`, which copies its files in too
  });
  // Before the first start: secrets and configs that are not host files are copied in.
  if (id !== undefined) await injectFiles(ctx.engine, project, service, id, ctx.signal);
  ctx.sink.emit(replacing ? ev.recreated(op.name) : ev.created('container', op.name));
}

/** The ids the plan found (existing networks) and those this run's createNetwork steps settled on. */
function joinedNetworkIds(op: Of<'createContainer'>, ctx: StepContext): { networkIds?: Record<string, string> } {
  const ids = { ...op.networkIds, ...Object.fromEntries(ctx.networkIds ?? []) };
  return Object.keys(ids).length === 0 ? {} : { networkIds: ids };
}

/**
 * A name conflict with the very container this step would make (another `up` of the project got
 * there first: same project, service, number and config hash) means the work is done. Anything
 * else under that name (a foreign container, an older config) is a real conflict.
 */
async function isSameContainer(ctx: StepContext, op: Of<'createContainer'>, projectName: string): Promise<boolean> {
  const existing = await inspectReserved(ctx, op.name);
  const labels = existing?.labels ?? {};
  return labels[LABEL.project] === projectName
    && labels[LABEL.service] === op.service
    && labels[LABEL.containerNumber] === String(op.number)
    && labels[LABEL.configHash] === op.configHash
    && (labels[LABEL.oneoff] ?? 'False').toLowerCase() !== 'true';
}

/**
 * Removes a container; when another `down` is already removing it (409 "already in progress"),
 * waits, within a bound, until it is gone: the outcome this step promises either way.
 */
async function removeContainer(ctx: StepContext, op: Of<'removeContainer'>): Promise<void> {
  try {
    // force: a restart policy may have started it again since it was stopped.
    return await ctx.engine.removeContainer(op.containerId, { force: true, volumes: op.removeVolumes });
  } catch (error) {
    if (!(error instanceof EngineError && error.statusCode === 409 && /already in progress/.test(error.message))) throw error;
    const clock = ctx.clock ?? systemClock;
    const deadline = clock.now() + REMOVAL_WAIT_MS;
    while ((await inspectOrUndefined(ctx, op.containerId)) !== undefined) {
      if (clock.now() >= deadline) throw error;
      await clock.sleep(100, ctx.signal);
    }
  }
}

async function inspectOrUndefined(ctx: StepContext, id: string): Promise<ContainerDetails | undefined> {
  try {
    return await ctx.engine.inspectContainer(id);
  } catch (error) {
    if (error instanceof EngineError && error.statusCode === 404) return undefined;
    throw error;
  }
}

/**
 * The engine joins a created container's secondary networks by name at start. While a concurrent
 * `up` holds a duplicate of one (engine 20.10; that run removes it as soon as it sees ours), the
 * name is ambiguous: start again once it is not, within a bound.
 */
async function startContainer(ctx: StepContext, name: string): Promise<void> {
  const clock = ctx.clock ?? systemClock;
  const deadline = clock.now() + AMBIGUOUS_NETWORK_WAIT_MS;
  for (;;) {
    try {
      return await ctx.engine.startContainer(name);
    } catch (error) {
      if (!(error instanceof EngineError && /is ambiguous/.test(error.message)) || clock.now() >= deadline) throw error;
    }
    await clock.sleep(100, ctx.signal);
  }
}

/**
 * The engine reserves a name before the container it is creating can be inspected (its layer and
 * volumes come first), so a 404 right after a name conflict means "not yet": ask again, briefly.
 */
async function inspectReserved(ctx: StepContext, name: string): Promise<ContainerDetails | undefined> {
  const clock = ctx.clock ?? systemClock;
  const deadline = clock.now() + RESERVED_NAME_WAIT_MS;
  for (;;) {
    try {
      return await ctx.engine.inspectContainer(name);
    } catch (error) {
      if (!(error instanceof EngineError && error.statusCode === 404) || clock.now() >= deadline) return undefined;
    }
    await clock.sleep(100, ctx.signal);
  }
}

/**
 * The image's VOLUME paths, asked only when an inherited volume sits at a target the service does
 * not mount (then only an image VOLUME there justifies mounting it again).
 */
async function findImageVolumes(ctx: StepContext, service: Service, inherit: Readonly<Record<string, string>>): Promise<readonly string[]> {
  const mounted = new Set(service.mounts.map((m) => (m.target.length > 1 ? m.target.replace(/\/+$/, '') : m.target)));
  if (Object.keys(inherit).every((target) => mounted.has(target))) return [];
  const image = await ctx.engine.inspectImage(service.image);
  return image?.volumes ?? [];
}

/** Every container of the dependency must meet the condition; they are followed in parallel. */
async function awaitCondition(op: Of<'awaitCondition'>, ctx: StepContext): Promise<void> {
  const filter: Record<string, string> = ctx.project === undefined ? {} : { [LABEL.project]: ctx.project.name, [LABEL.service]: op.service };
  const results = await Promise.allSettled(op.containers.map(async (name) => {
    ctx.sink.emit(ev.waiting(name));
    const details = await awaitContainer({
      engine: ctx.engine, container: name, condition: op.condition, filter,
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
      ...(ctx.clock === undefined ? {} : { clock: ctx.clock }),
      ...(ctx.waitTimeoutMs === undefined ? {} : { timeoutMs: ctx.waitTimeoutMs }),
    }).catch((error: unknown) => {
      if (error instanceof ConditionError) ctx.sink.emit(ev.failed('container', name, error.detail));
      throw error;
    });
    if (op.condition === 'service_healthy') ctx.sink.emit(ev.healthy(name));
    else if (op.condition === 'service_completed_successfully') ctx.sink.emit(ev.exited(name, `exit code ${details.exitCode}`));
    else ctx.sink.emit(ev.running(name));
  }));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure === undefined) return;
  if (op.required || ctx.signal?.aborted === true) throw failure.reason;
  // required: false: dependents start anyway, as compose does, after a warning.
  const reason = failure.reason instanceof Error ? failure.reason.message : String(failure.reason);
  ctx.sink.emit(ev.warning('service', op.service, 'Skipped', `optional dependency ${op.service} failed: ${reason}`));
}
