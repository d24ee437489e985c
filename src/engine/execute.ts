// Runs a Plan against an Engine: each operation starts as soon as the ones it depends on have
// succeeded, API calls are bounded by one queue, and a failure stops only what depends on it.
import PQueue from 'p-queue';
import { DependencyError, GantryError, InterruptedError } from '../errors.js';
import * as ev from '../events/events.js';
import { nullSink, type EventSink } from '../events/events.js';
import type { Project } from '../model/types.js';
import type { Operation, Plan } from '../plan/operations.js';
import type { Engine } from './engine.js';
import { performStep, type ExitWatch, type StepContext } from './execute-steps.js';
import { ConditionError, type Clock } from './wait.js';

/**
 * As docker-compose v1's COMPOSE_PARALLEL_LIMIT (compose v2 sets none): enough that every start
 * of a layer is with the engine at once. At 8, creates and inspects queued ahead of a layer's
 * starts held them back, and flat30 `up` took ~1.2× its time at 64 (bench/).
 */
export const DEFAULT_CONCURRENCY = 64;

export interface ExecuteTimeouts {
  /** How long a dependency may take to meet its condition. @default no limit */
  readonly waitMs?: number;
  /** Stop grace period where the plan does not say. @default the engine's (10 s) */
  readonly stopSeconds?: number;
}

export interface ExecuteContext {
  readonly engine: Engine;
  /** Needed to create resources; `down` plans run without it. */
  readonly project?: Project;
  /** @default nullSink */
  readonly sink?: EventSink;
  /** Most engine API calls in flight at once. @default DEFAULT_CONCURRENCY */
  readonly concurrency?: number;
  /** Abort: nothing new starts, calls in flight settle, then InterruptedError. */
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  readonly timeouts?: ExecuteTimeouts;
  /**
   * Operations that already ran (`up`'s image stage), by id: not run again, their outcome (an
   * error for a failure) stands, so dependents are skipped and failures reported as in one run.
   */
  readonly settled?: ReadonlyMap<string, SettledOutcome>;
}

export interface SettledOutcome {
  readonly error?: Error;
}

export interface ExecutionFailure {
  readonly operation: Operation;
  readonly error: Error;
  /** Ids of the operations that did not run because of this failure. */
  readonly skipped: readonly string[];
}

/** Some operations failed; independent ones still ran. The message names each failure. */
export class ExecutionError extends GantryError {
  override name = 'ExecutionError';
  readonly failures: readonly ExecutionFailure[];
  readonly errors: readonly Error[];
  constructor(failures: readonly ExecutionFailure[], errors: readonly Error[]) {
    const lines = errors.map((e) => e.message);
    const hint = errors.map((e) => (e instanceof GantryError ? e.hint : undefined)).find((h) => h !== undefined);
    super(lines.length === 1 ? (lines[0] ?? '') : `${lines.length} problems:\n${lines.map((l) => `  - ${l}`).join('\n')}`, {
      cause: errors[0],
      ...(hint === undefined ? {} : { hint }),
    });
    this.failures = failures;
    this.errors = errors;
  }
}

type Failure = { readonly operation: Operation; readonly error: Error };
type Outcome = { readonly status: 'done' | 'cancelled' } | { readonly status: 'failed' | 'skipped'; readonly failure: Failure };

export async function executePlan(plan: Plan, context: ExecuteContext): Promise<void> {
  const concurrency = context.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new GantryError(`Expected concurrency to be a whole number ≥ 1, got ${concurrency}`);
  const byId = new Map(plan.operations.map((op) => [op.id, op]));
  assertRunnable(plan, byId);
  const queue = new PQueue({ concurrency });
  const sink = context.sink ?? nullSink;
  const exits = watchExits(plan, byId, context.engine, context.signal);
  const step: StepContext = {
    engine: boundEngine(context.engine, queue, context.signal),
    project: context.project,
    sink,
    signal: context.signal,
    clock: context.clock,
    waitTimeoutMs: context.timeouts?.waitMs,
    stopTimeoutSeconds: context.timeouts?.stopSeconds,
    networkIds: new Map(),
    ...(exits === undefined ? {} : { exits }),
  };
  const outcomes = new Map<string, Promise<Outcome>>();
  const reportedSkips = new Set<string>();
  const outcomeOf = (id: string): Promise<Outcome> => {
    let outcome = outcomes.get(id);
    if (outcome === undefined) {
      outcome = runOperation(byId.get(id) as Operation);
      outcomes.set(id, outcome);
    }
    return outcome;
  };

  /**
   * What a stop waits for in another stop (a dependent's): its container no longer running. The
   * engine answers the stop call only after its cleanup (network, mounts: ~0.1–0.5 s per wave of
   * health30, serialised), but says 'die' as soon as the process has exited; waiting for the call
   * put that cleanup between every two layers. A failure before the exit still skips the stop.
   */
  const stoppedOf = (id: string): Promise<Outcome> => {
    const dependency = byId.get(id);
    if (exits === undefined || dependency?.kind !== 'stopContainer') return outcomeOf(id);
    const done: Outcome = { status: 'done' };
    return Promise.race([outcomeOf(id), exits.exited(dependency.containerId).then(() => done)]);
  };

  // Dependencies are awaited here, outside the queue: a slot is held only by an API call, so a
  // chain deeper than the concurrency limit cannot deadlock.
  async function runOperation(op: Operation): Promise<Outcome> {
    const settled = context.settled?.get(op.id);
    if (settled !== undefined) return settled.error === undefined ? { status: 'done' } : { status: 'failed', failure: { operation: op, error: settled.error } };
    const dependencies = await Promise.all(op.dependsOn.map((id) => (op.kind === 'stopContainer' ? stoppedOf(id) : outcomeOf(id))));
    if (isAborted(context.signal) || dependencies.some((d) => d.status === 'cancelled')) return { status: 'cancelled' };
    const blocked = dependencies.find((d): d is Extract<Outcome, { failure: Failure }> => 'failure' in d);
    if (blocked !== undefined) {
      // A container whose create failed already shows that error; its start is not a "skip".
      if (blocked.failure.operation.resource !== op.resource) reportSkip(sink, reportedSkips, op, blocked.failure);
      return { status: 'skipped', failure: blocked.failure };
    }
    try {
      await performStep(op, step);
      return { status: 'done' };
    } catch (caught) {
      // An abort surfaces as the failure of whatever was waiting; it is not the step's fault.
      if (isAborted(context.signal)) return { status: 'cancelled' };
      const error = caught instanceof Error ? caught : new Error(String(caught));
      const [kind, name] = splitResource(op.resource);
      sink.emit(ev.failed(kind, name, error instanceof ConditionError ? error.detail : error.message));
      return { status: 'failed', failure: { operation: op, error } };
    }
  }

  const results = await Promise.all(plan.operations.map(async (op) => [op, await outcomeOf(op.id)] as const)).finally(() => exits?.close());
  if (isAborted(context.signal)) {
    // Calls already sent are left to finish, so the engine is not mid-change when we return.
    await queue.onIdle();
    throw new InterruptedError();
  }
  const failures = collectFailures(results);
  if (failures.length > 0) throw new ExecutionError(failures, failures.flatMap((f) => describeFailure(f, plan)));
}

/**
 * Every call but the event stream goes through the queue, and leaves it when it returns. After
 * an abort, queued calls refuse to start; the queue's own signal option is not used because it
 * would also abandon calls already running (and free their slots before they end).
 */
function boundEngine(engine: Engine, queue: PQueue, signal: AbortSignal | undefined): Engine {
  const q = <T>(call: () => Promise<T>): Promise<T> =>
    queue.add(() => {
      signal?.throwIfAborted();
      return call();
    });
  return {
    endpoint: engine.endpoint,
    ping: (o) => q(() => engine.ping(o)),
    listContainers: (f, o) => q(() => engine.listContainers(f, o)),
    inspectContainer: (id, o) => q(() => engine.inspectContainer(id, o)),
    createContainer: (spec, o) => q(() => engine.createContainer(spec, o)),
    copyToContainer: (id, path, archive, o) => q(() => engine.copyToContainer(id, path, archive, o)),
    startContainer: (id, o) => q(() => engine.startContainer(id, o)),
    stopContainer: (id, o) => q(() => engine.stopContainer(id, o)),
    removeContainer: (id, o) => q(() => engine.removeContainer(id, o)),
    listNetworks: (f, o) => q(() => engine.listNetworks(f, o)),
    findNetwork: (name, o) => q(() => engine.findNetwork(name, o)),
    createNetwork: (spec, o) => q(() => engine.createNetwork(spec, o)),
    removeNetwork: (ref, o) => q(() => engine.removeNetwork(ref, o)),
    listVolumes: (f, o) => q(() => engine.listVolumes(f, o)),
    findVolume: (name, o) => q(() => engine.findVolume(name, o)),
    createVolume: (spec, o) => q(() => engine.createVolume(spec, o)),
    removeVolume: (name, o) => q(() => engine.removeVolume(name, o)),
    imageExists: (ref, o) => q(() => engine.imageExists(ref, o)),
    pullImage: (ref, onProgress, o) => q(() => engine.pullImage(ref, onProgress, o)),
    removeImage: (ref, o) => q(() => engine.removeImage(ref, o)),
    buildImage: (context, options, onProgress, o) => q(() => engine.buildImage(context, options, onProgress, o)),
    pushImage: (ref, onProgress, o) => q(() => engine.pushImage(ref, onProgress, o)),
    restartContainer: (id, o) => q(() => engine.restartContainer(id, o)),
    killContainer: (id, o) => q(() => engine.killContainer(id, o)),
    pauseContainer: (id, o) => q(() => engine.pauseContainer(id, o)),
    unpauseContainer: (id, o) => q(() => engine.unpauseContainer(id, o)),
    listProcesses: (id, o) => q(() => engine.listProcesses(id, o)),
    inspectImage: (ref, o) => q(() => engine.inspectImage(ref, o)),
    imageHistory: (ref, o) => q(() => engine.imageHistory(ref, o)),
    // Sessions last as long as their command: like the event stream, they hold no slot.
    execInContainer: (id, spec, streams, o) => engine.execInContainer(id, spec, streams, o),
    startAttached: (id, streams, o) => engine.startAttached(id, streams, o),
    // A stream open for as long as a wait lasts: holding a slot for it would starve the calls
    // that make the wait end.
    watchContainers: (f, onEvent, o) => engine.watchContainers(f, onEvent, o),
    // Both last as long as the container runs: no slot either.
    containerLogs: (id, options, onLine, o) => engine.containerLogs(id, options, onLine, o),
    waitContainer: (id, o) => engine.waitContainer(id, o),
  };
}

/**
 * One event stream for the containers whose stop another stop waits for (none, and no call, when
 * no stop waits for another). A die counts only after the kill our stop causes, so an exit and
 * restart from before the stop cannot release a dependency early; events the stream misses (it
 * fails, or connects late) only leave the dependency waiting for the stop call, as without it.
 */
function watchExits(plan: Plan, byId: ReadonlyMap<string, Operation>, engine: Engine, signal: AbortSignal | undefined): ExitWatch | undefined {
  const watched = new Set<string>();
  for (const op of plan.operations) {
    if (op.kind !== 'stopContainer') continue;
    for (const id of op.dependsOn) {
      const dependency = byId.get(id);
      if (dependency?.kind === 'stopContainer') watched.add(dependency.containerId);
    }
  }
  if (watched.size === 0) return undefined;
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const armed = new Set<string>();
  const killed = new Set<string>();
  const waiters = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  const waiter = (id: string): { promise: Promise<void>; resolve: () => void } => {
    let entry = waiters.get(id);
    if (entry === undefined) {
      let resolve: () => void = () => undefined;
      const promise = new Promise<void>((r) => { resolve = r; });
      entry = { promise, resolve };
      waiters.set(id, entry);
    }
    return entry;
  };
  engine.watchContainers({}, (event) => {
    if (!armed.has(event.id)) return;
    if (event.action === 'kill') killed.add(event.id);
    else if (event.action === 'die' && killed.has(event.id)) waiter(event.id).resolve();
  }, { signal: controller.signal, containers: [...watched], actions: ['kill', 'die'] }).catch(() => undefined);
  return {
    arm: (id) => void armed.add(id),
    exited: (id) => waiter(id).promise,
    close: () => {
      signal?.removeEventListener('abort', onAbort);
      controller.abort();
    },
  };
}

/** A plan with a dangling edge or a cycle would hang the executor: refuse it up front. */
function assertRunnable(plan: Plan, byId: ReadonlyMap<string, Operation>): void {
  if (byId.size !== plan.operations.length) throw new GantryError('internal: the plan has duplicate operation ids');
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (op: Operation): void => {
    state.set(op.id, 'visiting');
    for (const id of op.dependsOn) {
      const dependency = byId.get(id);
      if (dependency === undefined) throw new GantryError(`internal: ${op.id} depends on unknown ${id}`);
      if (state.get(id) === 'visiting') throw new GantryError(`internal: the plan has a cycle through ${id}`);
      if (state.get(id) === undefined) visit(dependency);
    }
    state.set(op.id, 'done');
  };
  for (const op of plan.operations) if (state.get(op.id) === undefined) visit(op);
}

type EventKind = Parameters<typeof ev.skipped>[0];

function splitResource(resource: string): [EventKind, string] {
  const colon = resource.indexOf(':');
  const kind = resource.slice(0, colon);
  const known: readonly string[] = ['container', 'network', 'volume', 'image', 'service'];
  return known.includes(kind) ? [kind as EventKind, resource.slice(colon + 1)] : ['service', resource];
}

/** Once per resource: a container's create and start are skipped for the same reason. */
function reportSkip(sink: EventSink, reported: Set<string>, op: Operation, failure: Failure): void {
  if (reported.has(op.resource)) return;
  reported.add(op.resource);
  const [kind, name] = splitResource(op.resource);
  sink.emit(ev.skipped(kind, name, `dependency ${subjectOf(failure.operation)} failed: ${shortReason(failure.error)}`));
}

/** 'db' for a service's containers and conditions, else the resource's name. */
function subjectOf(op: Operation): string {
  return 'service' in op ? op.service : splitResource(op.resource)[1];
}

function shortReason(error: Error): string {
  return error instanceof ConditionError ? error.detail : error.message;
}

function collectFailures(results: readonly (readonly [Operation, Outcome])[]): ExecutionFailure[] {
  const failures = new Map<string, { operation: Operation; error: Error; skipped: string[] }>();
  for (const [op, outcome] of results) {
    if (outcome.status === 'failed') failures.set(op.id, { ...outcome.failure, skipped: [] });
  }
  for (const [op, outcome] of results) {
    if (outcome.status === 'skipped') failures.get(outcome.failure.operation.id)?.skipped.push(op.id);
  }
  return [...failures.values()];
}

/**
 * A failed condition becomes one DependencyError per service left waiting on it (what users
 * ask: "why did web not start?"); other failures keep their own error.
 */
function describeFailure(failure: ExecutionFailure, plan: Plan): Error[] {
  const { operation, error } = failure;
  if (operation.kind === 'awaitCondition' && error instanceof ConditionError) {
    const waiting = new Set(plan.operations.filter((op) => op.dependsOn.includes(operation.id) && 'service' in op).map((op) => ('service' in op ? op.service : '')));
    if (waiting.size > 0) {
      return [...waiting].sort().map((service) =>
        new DependencyError({ service, dependency: operation.service, reason: error.reason, detail: error.evidence }, { cause: error }));
    }
  }
  const { owners, blocked } = affectedServices(failure, plan);
  if (owners.length === 0 && blocked.length === 0) return [error];
  const subject = owners.length === 0 ? '' : `${owners.length === 1 ? 'service' : 'services'} ${owners.map((s) => `"${s}"`).join(', ')}: `;
  const consequence = blocked.length === 0 ? '' : ` (not started because of it: ${blocked.join(', ')})`;
  const hint = error instanceof GantryError ? error.hint : undefined;
  return [new GantryError(`${subject}${error.message}${consequence}`, { cause: error, ...(hint === undefined ? {} : { hint }) })];
}

/**
 * Who a failure is about, for the message users read: the service the failed operation acts for
 * (or, for a shared image, network or volume, the services that needed it directly), and the
 * other services that could not start because of it.
 */
function affectedServices(failure: ExecutionFailure, plan: Plan): { owners: string[]; blocked: string[] } {
  const { operation } = failure;
  const skipped = failure.skipped.map((id) => plan.operations.find((op) => op.id === id)).filter((op): op is Operation => op !== undefined);
  const serviceOf = (op: Operation): string | undefined => ('service' in op ? op.service : undefined);
  const direct = 'service' in operation ? [operation.service] : skipped.filter((op) => op.dependsOn.includes(operation.id)).map(serviceOf);
  const owners = [...new Set(direct.filter((s): s is string => s !== undefined))].sort();
  const blocked = [...new Set(skipped.map(serviceOf).filter((s): s is string => s !== undefined && !owners.includes(s)))].sort();
  return { owners, blocked };
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
