// Follows the logs and exits of a project's containers for as long as they run, and picks up
// containers that start later (dependents started after a wait, recreated or restarted ones)
// from the engine's event stream. `up` (attached) and `logs -f` share it; views decide what to
// print. A container's log is resumed after its last exit, so a restart never repeats lines.
import { EngineError } from '../errors.js';
import { LABEL } from '../plan/labels.js';
import type { Engine, Labels, LogOptions } from './engine.js';
import { justAfter, laterOf, toResumePoint, type LogStream } from './logs.js';

export interface FollowedContainer {
  readonly id: string;
  readonly name: string;
  readonly service: string;
  /** com.docker.compose.container-number (0 when missing). */
  readonly number: number;
}

/** Where a container's log begins when following starts. @default the whole log */
export interface LogStart {
  readonly tail?: number;
  readonly since?: string;
}

export interface ContainerExit {
  readonly exitCode: number;
  /** A restart policy brings it back: more of its log will follow. */
  readonly restarting: boolean;
}

export interface FollowContainersOptions {
  readonly engine: Engine;
  readonly project: string;
  /** Whether a container of the project is followed at all (services, one-offs, index). */
  readonly accept: (labels: Labels) => boolean;
  /** Whether its log is read, or only its exit awaited. @default every accepted container */
  readonly showLogs?: (container: FollowedContainer) => boolean;
  /** Where the log of a container first seen in a start event begins. @default the whole log */
  readonly startOf?: (container: FollowedContainer) => LogStart | undefined;
  /** Passed to every log read. */
  readonly logOptions?: Pick<LogOptions, 'timestamps' | 'until'>;
  readonly onLine: (container: FollowedContainer, stream: LogStream, line: string) => void;
  readonly onExit?: (container: FollowedContainer, exit: ContainerExit) => void;
  /** A container's log or wait failed for another reason than the abort; it counts as ended. */
  readonly onError?: (container: FollowedContainer, error: unknown) => void;
  /** Ends every stream and the event subscription. */
  readonly signal: AbortSignal;
}

export interface ContainerFollower {
  /** Starts following a container, unless it is already known (its restarts are followed anyway). */
  follow(container: FollowedContainer, start?: LogStart): void;
  /**
   * Follows containers of the project that start from now on (the engine replays events from
   * the moment of this call). Resolves when the signal aborts; rejects if the event stream fails.
   */
  watchStarts(): Promise<void>;
  /** Containers followed that have not (finally) exited. */
  readonly running: number;
  /** Resolves the next time no followed container is running (at once if none is). */
  whenIdle(): Promise<void>;
}

interface Followed {
  readonly container: FollowedContainer;
  /** reading: log or wait in progress; restarting: exited, its restart policy brings it back. */
  phase: 'reading' | 'restarting' | 'ended';
  /** When the last run seen to end started: a start event for the same run is stale. */
  startedAt?: string;
  /** Where the next run's log begins ("seconds.nanoseconds"). */
  resumeAt?: string;
}

export function createContainerFollower(options: FollowContainersOptions): ContainerFollower {
  const { engine, signal } = options;
  const known = new Map<string, Followed>();
  let running = 0;
  let idleWaiters: (() => void)[] = [];
  const settle = (): void => {
    if (running > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };
  const end = (entry: Followed): void => {
    if (entry.phase === 'ended') return;
    entry.phase = 'ended';
    running -= 1;
    settle();
  };

  const read = async (entry: Followed, start: LogStart): Promise<void> => {
    const { container } = entry;
    const showLogs = options.showLogs?.(container) ?? true;
    try {
      if (showLogs) {
        const logOptions = { ...options.logOptions, ...start, follow: true };
        await engine.containerLogs(container.id, logOptions, (stream, line) => options.onLine(container, stream, line), { signal });
      }
      const exitCode = await engine.waitContainer(container.id, { signal });
      const details = await engine.inspectContainer(container.id, { signal }).catch(() => undefined);
      if (signal.aborted) return end(entry);
      entry.startedAt = details?.startedAt;
      // The daemon may flush a last partial line after FinishedAt: resume after whichever is later.
      const lastLine = !showLogs || details?.state === 'running' ? undefined : await lastLogTime(engine, container.id, signal);
      entry.resumeAt = laterOf(toResumePoint(details?.finishedAt), lastLine);
      const restarting = details?.state === 'restarting' || details?.state === 'running';
      options.onExit?.(container, { exitCode, restarting });
      if (!restarting) return end(entry);
      entry.phase = 'restarting';
      // Already back (a quick restart): carry on from where its last run ended.
      if (details?.state === 'running') resume(entry);
    } catch (error) {
      // Removed under us (down, rm -f, a recreate): it simply ended.
      const removed = error instanceof EngineError && error.statusCode === 404;
      if (!signal.aborted && !removed) options.onError?.(container, error);
      end(entry);
    }
  };
  const resume = (entry: Followed): void => {
    if (entry.phase === 'ended') running += 1;
    entry.phase = 'reading';
    void read(entry, entry.resumeAt === undefined ? {} : { since: entry.resumeAt });
  };

  const follow = (container: FollowedContainer, start: LogStart = {}): void => {
    if (signal.aborted || known.has(container.id)) return;
    const fresh: Followed = { container, phase: 'reading' };
    known.set(container.id, fresh);
    running += 1;
    void read(fresh, start);
  };

  const onStart = async (id: string, labels: Labels): Promise<void> => {
    if (!options.accept(labels) || known.get(id)?.phase === 'reading') return;
    const details = await engine.inspectContainer(id, { signal }).catch(() => undefined);
    if (details === undefined || signal.aborted) return;
    const entry = known.get(id);
    // An event for the run that was already followed to its end arrives late: nothing new.
    if (entry !== undefined && (entry.phase === 'reading' || (entry.startedAt !== undefined && details.startedAt === entry.startedAt))) return;
    if (entry !== undefined) return resume(entry);
    const container = toFollowed(details);
    follow(container, options.startOf?.(container));
  };

  return {
    follow,
    get running() {
      return running;
    },
    whenIdle: () => new Promise<void>((resolve) => {
      idleWaiters.push(resolve);
      settle();
    }),
    watchStarts: () => {
      let chain = Promise.resolve();
      return engine.watchContainers({ [LABEL.project]: options.project }, (event) => {
        const entry = known.get(event.id);
        // Stopped or removed while waiting for its restart: it will not come back.
        if (entry?.phase === 'restarting' && (event.action === 'destroy' || event.action === 'stop')) end(entry);
        if (event.action !== 'start') return;
        // One at a time, in event order, so a container is never followed twice.
        chain = chain.then(() => onStart(event.id, event.labels));
      }, { signal });
    },
  };
}

/**
 * Just after the last line already in a container's log, as a `since` that shows only what it
 * prints from now on (undefined when its log is empty).
 */
export async function lastLogTime(engine: Engine, id: string, signal?: AbortSignal): Promise<string | undefined> {
  let last: string | undefined;
  const read = (_stream: LogStream, line: string): void => {
    last = /^(\d{4}-\S+) /.exec(line)?.[1] ?? last;
  };
  await engine.containerLogs(id, { tail: 1, timestamps: true }, read, signal === undefined ? {} : { signal });
  return last === undefined ? undefined : justAfter(last);
}

/** The identity of a container as the follower reports it. */
export function toFollowed(c: { readonly id: string; readonly name: string; readonly labels: Labels }): FollowedContainer {
  return {
    id: c.id,
    name: c.name,
    service: c.labels[LABEL.service] ?? '',
    number: Number(c.labels[LABEL.containerNumber] ?? 0) || 0,
  };
}
