// Attached `up` (no -d), as docker compose does it: the logs of the attached services stream
// with `web-1  | ` prefixes until their containers exit. Following starts before the plan runs
// (so a service started late, after its dependency got healthy, is never missed) but lines are
// held until the progress display is done. Ctrl-C stops the containers gracefully, a second one
// kills them (exit 130); --abort-on-container-exit stops all when one exits, and
// --exit-code-from passes a service's exit code on.
import { InterruptedError } from '../errors.js';
import type { Engine, Labels } from '../engine/engine.js';
import { createContainerFollower, lastLogTime, toFollowed, type ContainerFollower, type FollowedContainer, type LogStart } from '../engine/follow.js';
import type { Project } from '../model/types.js';
import { LABEL, projectFilter } from '../plan/labels.js';
import type { ObservedState } from '../plan/observed.js';
import type { Plan } from '../plan/operations.js';
import { createLogFormatter, createLogPrinter, displayName, type LogPrinter } from '../ui/log-view.js';
import { killRunning, stopGracefully, type StopScope } from './attach-stop.js';
import { printExited, printLogEnded } from './log-status.js';
import type { AttachSettings } from './attach-settings.js';
import type { GlobalOptions } from './options.js';

export interface AttachContext {
  readonly engine: Engine;
  readonly project: Project;
  readonly plan: Plan;
  /** The state before the plan: which containers existed, to resume their logs after their last run. */
  readonly observed: ObservedState;
  readonly settings: AttachSettings;
  readonly global: GlobalOptions;
}

export interface AttachSession {
  /** After the plan ran: streams logs until the containers exit; resolves with the exit code. */
  run(): Promise<number>;
  /**
   * The plan failed or was interrupted. Interrupted: stops the containers and resolves 130.
   * Failed: shows the logs held so far, stops following and resolves undefined (the caller rethrows).
   */
  abandon(error: unknown): Promise<number | undefined>;
}

type Outcome = 'done' | 'abort' | 'interrupt';

/** Subscribes to the project's containers before the plan runs; call run() or abandon() after. */
export async function beginAttach(context: AttachContext): Promise<AttachSession> {
  const { engine, project, settings } = context;
  const starts = await planLogStarts(context);
  const controller = new AbortController();
  const formatter = createLogFormatter({ color: settings.color, prefix: settings.prefix });
  const printer = createLogPrinter({ stdout: process.stdout, stderr: process.stderr, held: true });
  const nameOf = (c: FollowedContainer): string => displayName(project.name, c);
  const exits = createExitTracker(settings);
  const status = { project: project.name, formatter, printer };
  const follower = createContainerFollower({
    engine,
    project: project.name,
    accept: (labels: Labels) => labels[LABEL.oneoff] !== 'True' && settings.tracked.has(labels[LABEL.service] ?? ''),
    showLogs: (c) => settings.attach.has(c.service),
    startOf: (c) => starts.get(c.name),
    logOptions: { timestamps: settings.timestamps },
    onLine: (c, stream, line) => printer.write(stream, formatter.formatLine(nameOf(c), c.service, line)),
    onExit: (c, exit) => {
      printExited(status, c, exit);
      if (!exit.restarting) exits.record(c.service, exit.exitCode);
    },
    onError: (c, error) => printLogEnded(status, c, error),
    signal: controller.signal,
  });
  follower.watchStarts().catch((error: unknown) => printer.write('stderr', `WARN the engine's event stream failed: ${error instanceof Error ? error.message : String(error)}`));
  const scope: StopScope = {
    engine,
    project,
    services: [...new Set([...servicesOf(context.plan), ...settings.tracked])],
    ...(settings.timeoutSeconds === undefined ? {} : { timeoutSeconds: settings.timeoutSeconds }),
  };
  const stopper = createStopper(scope, context.global, printer);

  // Known before any line arrives, so held lines align with later ones; colours go in name order.
  const attached = plannedContainers(context.plan).filter((c) => settings.attach.has(c.service));
  for (const c of attached) formatter.register(displayName(project.name, c), c.service);

  return {
    async run() {
      const signals = stopper.listen();
      try {
        await followPlanned({ engine, project, follower, starts, tracked: settings.tracked });
        if (attached.length > 0) process.stdout.write(`Attaching to ${attached.map((c) => displayName(project.name, c)).join(', ')}\n`);
        printer.release();
        const outcome = await Promise.race<Outcome>([
          follower.whenIdle().then(() => 'done' as const),
          exits.start().then(() => 'abort' as const),
          signals.interrupted.then(() => 'interrupt' as const),
        ]);
        if (outcome === 'abort') process.stdout.write('Aborting on container exit...\n');
        if (outcome !== 'done' || stopper.isStopping()) {
          await stopper.stop();
          // Exit codes of the containers being stopped still count (--exit-code-from).
          await Promise.race([follower.whenIdle(), signals.killed]);
        }
        return stopper.interruptedByUser() ? 130 : exits.code();
      } finally {
        signals.remove();
        controller.abort();
      }
    },
    async abandon(error) {
      if (!(error instanceof InterruptedError)) {
        printer.release();
        controller.abort();
        return undefined;
      }
      const signals = stopper.listen();
      try {
        signals.interrupt();
        await signals.interrupted;
        return 130;
      } finally {
        signals.remove();
        controller.abort();
      }
    },
  };
}

/** Where each planned container's log begins: all of a new one, only the new run of a restarted one, nothing old of a kept one. */
async function planLogStarts(context: AttachContext): Promise<Map<string, LogStart>> {
  const starts = new Map<string, LogStart>();
  const created = new Set(context.plan.operations.filter((op) => op.kind === 'createContainer').map((op) => op.name));
  for (const op of context.plan.operations) {
    if (op.kind === 'keepContainer') starts.set(op.name, { tail: 0 });
    if (op.kind !== 'startContainer') continue;
    const existing = created.has(op.name) ? undefined : context.observed.containers.find((c) => c.name === op.name);
    const since = existing === undefined ? undefined : await lastLogTime(context.engine, existing.id).catch(() => undefined);
    starts.set(op.name, since === undefined ? {} : { since });
  }
  return starts;
}

/** Follows the planned containers the start events may not have delivered yet (or at all: kept ones). */
async function followPlanned(context: { engine: Engine; project: Project; follower: ContainerFollower; starts: ReadonlyMap<string, LogStart>; tracked: ReadonlySet<string> }): Promise<void> {
  const listed = await context.engine.listContainers(projectFilter(context.project.name), { all: true });
  for (const c of listed) {
    const start = context.starts.get(c.name);
    const followed = toFollowed(c);
    if (start !== undefined && c.labels[LABEL.oneoff] !== 'True' && context.tracked.has(followed.service)) context.follower.follow(followed, start);
  }
}

/** The containers the plan starts or keeps running, by name. */
function plannedContainers(plan: Plan): { name: string; service: string }[] {
  const containers = plan.operations.flatMap((op) => (op.kind === 'startContainer' || op.kind === 'keepContainer' ? [{ name: op.name, service: op.service }] : []));
  return containers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function servicesOf(plan: Plan): string[] {
  return [...new Set(plan.operations.flatMap((op) => ('service' in op ? [op.service] : [])))];
}

interface ExitTracker {
  record(service: string, exitCode: number): void;
  /** From now on, exits may end the session; resolves when one does (--abort-on-container-exit). */
  start(): Promise<void>;
  code(): number;
}

/** compose's rules: the first exit aborts (when cascading) and picks the service whose code counts. */
function createExitTracker(settings: AttachSettings): ExitTracker {
  let from = settings.exitCodeFrom;
  let code = 0;
  let live = false;
  let aborting = false;
  const pending: { service: string; exitCode: number }[] = [];
  let trigger: () => void = () => undefined;
  const handle = (service: string, exitCode: number): void => {
    // An init job that completed for its dependents is part of starting, not a reason to stop.
    const expected = exitCode === 0 && settings.completedDependencies.has(service);
    if (settings.cascade && !aborting && !expected) {
      aborting = true;
      from ??= service;
      trigger();
    }
    if (service === from) code = exitCode;
  };
  return {
    record(service, exitCode) {
      if (live) handle(service, exitCode);
      else pending.push({ service, exitCode });
    },
    start() {
      live = true;
      const fired = new Promise<void>((resolve) => (trigger = resolve));
      for (const exit of pending.splice(0)) handle(exit.service, exit.exitCode);
      return fired;
    },
    code: () => code,
  };
}

interface Signals {
  /** Resolves once the graceful stop that the first Ctrl-C began has finished. */
  readonly interrupted: Promise<void>;
  /** Resolves once a second Ctrl-C has killed the containers. */
  readonly killed: Promise<void>;
  /** Acts as if Ctrl-C was pressed. */
  interrupt(): void;
  remove(): void;
}

/** Ctrl-C once: stop gracefully; twice: kill; three times: quit at once. */
function createStopper(scope: StopScope, global: GlobalOptions, printer: LogPrinter): { listen(): Signals; stop(): Promise<void>; isStopping(): boolean; interruptedByUser(): boolean } {
  let stopping: Promise<void> | undefined;
  let killing = false;
  let byUser = false;
  let onKilled: () => void = () => undefined;
  const killed = new Promise<void>((resolve) => (onKilled = resolve));
  const stop = (): Promise<void> => {
    printer.mute();
    stopping ??= stopGracefully(scope, global);
    return stopping;
  };
  const kill = (): void => {
    killing = true;
    byUser = true;
    process.stderr.write('Killing the containers…\n');
    void killRunning(scope).finally(onKilled);
  };
  return {
    stop,
    isStopping: () => stopping !== undefined,
    interruptedByUser: () => byUser,
    listen() {
      let onInterrupted: () => void = () => undefined;
      const interrupted = new Promise<void>((resolve) => (onInterrupted = resolve));
      const onSignal = (): void => {
        if (killing) process.exit(130);
        if (stopping !== undefined) return kill();
        byUser = true;
        process.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
        void stop().then(onInterrupted, onInterrupted);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      return {
        interrupted,
        killed,
        interrupt: onSignal,
        remove: () => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        },
      };
    },
  };
}

/**
 * After the plan: an attached session runs (its exit code becomes the process's); a failure is
 * rethrown, unless it was Ctrl-C and the session stopped the containers (exit 130).
 */
export async function endAttached(session: AttachSession | undefined, failure: { readonly error: unknown } | undefined): Promise<void> {
  if (failure !== undefined) {
    const code = session === undefined ? undefined : await session.abandon(failure.error);
    if (code === undefined) throw failure.error;
    process.exitCode = code;
    return;
  }
  if (session === undefined) return;
  const code = await session.run();
  if (code !== 0) process.exitCode = code;
}
