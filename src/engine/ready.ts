// `up --wait`: every container is ready when it runs and, with a healthcheck, is healthy; a
// one-shot that already exited 0 counts as ready. Waiting reuses wait.ts (event-driven, bounded
// by one deadline); failures are collected for all containers, not just the first.
import { GantryError, InterruptedError } from '../errors.js';
import * as ev from '../events/events.js';
import type { EventSink } from '../events/events.js';
import { LABEL } from '../plan/labels.js';
import type { Plan } from '../plan/operations.js';
import type { ContainerDetails, Engine } from './engine.js';
import { awaitContainer, ConditionError, type Clock } from './wait.js';

export interface AwaitReadyOptions {
  readonly engine: Engine;
  readonly project: string;
  /** Container names to check. */
  readonly containers: readonly string[];
  readonly sink: EventSink;
  readonly signal?: AbortSignal;
  /** One deadline for all of them. @default no limit */
  readonly timeoutMs?: number;
  readonly clock?: Clock;
}

export interface NotReady {
  readonly container: string;
  /** 'is unhealthy: <last check output>', 'exited with code 3', 'did not become healthy in time' */
  readonly reason: string;
  readonly timedOut: boolean;
}

/** Some services were not ready; the message names each container and why. */
export class NotReadyError extends GantryError {
  override name = 'NotReadyError';
  readonly notReady: readonly NotReady[];
  constructor(notReady: readonly NotReady[], timeoutMs: number | undefined) {
    const timedOut = notReady.some((n) => n.timedOut);
    const header = timedOut && timeoutMs !== undefined
      ? `timed out after ${timeoutMs / 1000}s (--wait-timeout) waiting for services to be ready`
      : 'some services are not ready';
    super(`${header}:\n${notReady.map((n) => `  - container ${n.container} ${n.reason}`).join('\n')}`, {
      hint: 'gantry ps -a shows their state; gantry logs SERVICE shows what they printed',
    });
    this.notReady = notReady;
  }
}

/** Resolves when every container is ready; throws NotReadyError naming the others. */
export async function awaitReady(options: AwaitReadyOptions): Promise<void> {
  const results = await Promise.all(options.containers.map((name) => checkContainer(name, options))).catch((error: unknown) => {
    // Ctrl-C while waiting ends like an interrupted plan, not as an engine failure.
    if (options.signal?.aborted === true) throw new InterruptedError();
    throw error;
  });
  const notReady = results.filter((r): r is NotReady => r !== undefined);
  if (notReady.length > 0) throw new NotReadyError(notReady, options.timeoutMs);
}

async function checkContainer(name: string, options: AwaitReadyOptions): Promise<NotReady | undefined> {
  const { engine, sink, signal } = options;
  const first = await engine.inspectContainer(name, signal === undefined ? {} : { signal });
  sink.emit(ev.waiting(name));
  const details = first.health !== 'none' ? await awaitHealthy(name, first, options) : first.state === 'created' ? await awaitStarted(name, options) : first;
  if ('reason' in details) {
    sink.emit(ev.failed('container', name, details.reason));
    return details;
  }
  const verdict = judge(name, details);
  if (verdict !== undefined) {
    sink.emit(ev.failed('container', name, verdict.reason));
    return verdict;
  }
  sink.emit(details.state === 'exited' ? ev.exited(name, 'exit code 0') : details.health === 'healthy' ? ev.healthy(name) : ev.running(name));
  return undefined;
}

/** A container's state once nothing more is awaited: ready, or why not. */
function judge(name: string, details: ContainerDetails): NotReady | undefined {
  const notReady = (reason: string): NotReady => ({ container: name, reason, timedOut: false });
  switch (details.state) {
    case 'running': return details.health === 'none' || details.health === 'healthy' ? undefined : notReady(`is ${details.health}`);
    case 'exited': return details.exitCode === 0 ? undefined : notReady(`exited with code ${details.exitCode}`);
    case 'restarting': return notReady(`is restarting (last exit code ${details.exitCode})`);
    default: return notReady(`is ${details.state}`);
  }
}

async function awaitHealthy(name: string, first: ContainerDetails, options: AwaitReadyOptions): Promise<ContainerDetails | NotReady> {
  // A one-shot with a healthcheck that already finished its work cleanly is ready as it is.
  if (first.state === 'exited' && first.exitCode === 0) return first;
  return awaitCondition(name, 'service_healthy', options);
}

function awaitStarted(name: string, options: AwaitReadyOptions): Promise<ContainerDetails | NotReady> {
  return awaitCondition(name, 'service_started', options);
}

async function awaitCondition(name: string, condition: 'service_healthy' | 'service_started', options: AwaitReadyOptions): Promise<ContainerDetails | NotReady> {
  try {
    return await awaitContainer({
      engine: options.engine,
      container: name,
      condition,
      filter: { [LABEL.project]: options.project },
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  } catch (error) {
    if (!(error instanceof ConditionError)) throw error;
    if (error.reason === 'exited') {
      const details = await options.engine.inspectContainer(name, options.signal === undefined ? {} : { signal: options.signal });
      if (details.exitCode === 0) return details;
      return { container: name, reason: `exited with code ${details.exitCode}`, timedOut: false };
    }
    return { container: name, reason: error.detail, timedOut: error.reason === 'timeout' };
  }
}

/** The containers a plan starts or keeps running: what `up --wait` waits for. */
export function plannedContainerNames(plan: Plan): string[] {
  return plan.operations.flatMap((op) => (op.kind === 'startContainer' || op.kind === 'keepContainer' ? [op.name] : []));
}
