// Applies one lifecycle action (start, stop, restart, kill, pause, unpause, remove) to containers
// in waves: a wave's containers act concurrently, each reporting compose's words as events; a
// failed wave stops the ones after it (their containers depend on it, or it on them).
import { GantryError, InterruptedError } from '../errors.js';
import * as ev from '../events/events.js';
import type { EventSink, ProgressEvent } from '../events/events.js';
import type { Engine } from './engine.js';

export type LifecycleAction = 'start' | 'stop' | 'restart' | 'kill' | 'pause' | 'unpause' | 'remove';

export interface LifecycleContainer {
  readonly id: string;
  readonly name: string;
}

export interface LifecycleOptions {
  readonly engine: Engine;
  readonly action: LifecycleAction;
  readonly waves: readonly (readonly LifecycleContainer[])[];
  readonly sink: EventSink;
  /** stop/restart grace period. @default the container's own (stop_grace_period) or the engine's */
  readonly timeoutSeconds?: number;
  /** kill's signal. @default SIGKILL */
  readonly signalName?: string;
  /** remove: also anonymous volumes. */
  readonly removeVolumes?: boolean;
  /** Runs before each wave (e.g. `start` waiting for conditions on the wave before). */
  readonly beforeWave?: (index: number) => Promise<void>;
  readonly signal?: AbortSignal;
}

/** [working text, done text] per action, in compose's words. */
const WORDS: Record<LifecycleAction, readonly [string, string]> = {
  start: ['Starting', 'Started'],
  stop: ['Stopping', 'Stopped'],
  restart: ['Restarting', 'Restarted'],
  kill: ['Killing', 'Killed'],
  pause: ['Pausing', 'Paused'],
  unpause: ['Unpausing', 'Unpaused'],
  remove: ['Removing', 'Removed'],
};

export async function applyLifecycle(options: LifecycleOptions): Promise<void> {
  const errors: string[] = [];
  for (const [index, wave] of options.waves.entries()) {
    if (options.signal?.aborted === true) throw new InterruptedError();
    await options.beforeWave?.(index);
    const results = await Promise.allSettled(wave.map((container) => act(options, container)));
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') return;
      const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
      options.sink.emit(ev.failed('container', wave[i]?.name ?? '', reason));
      errors.push(reason);
    });
    if (errors.length > 0) break;
  }
  if (errors.length === 1) throw new GantryError(errors[0] ?? '');
  if (errors.length > 1) throw new GantryError(`${errors.length} containers failed:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
}

async function act(options: LifecycleOptions, container: LifecycleContainer): Promise<void> {
  const { engine, action } = options;
  const [working, done] = WORDS[action];
  options.sink.emit(event(container.name, 'working', working));
  const call = { ...(options.signal === undefined ? {} : { signal: options.signal }) };
  const timeout = options.timeoutSeconds === undefined ? {} : { timeoutSeconds: options.timeoutSeconds };
  switch (action) {
    case 'start': await engine.startContainer(container.id, call); break;
    case 'stop': await engine.stopContainer(container.id, { ...call, ...timeout }); break;
    case 'restart': await engine.restartContainer(container.id, { ...call, ...timeout }); break;
    case 'kill': await engine.killContainer(container.id, { ...call, ...(options.signalName === undefined ? {} : { signalName: options.signalName }) }); break;
    case 'pause': await engine.pauseContainer(container.id, call); break;
    case 'unpause': await engine.unpauseContainer(container.id, call); break;
    case 'remove': await engine.removeContainer(container.id, { ...call, force: true, volumes: options.removeVolumes === true }); break;
  }
  options.sink.emit(event(container.name, 'done', done));
}

function event(name: string, status: ProgressEvent['status'], text: string): ProgressEvent {
  // Same id and label as the executor's container events, so every view renders them alike.
  const base = ev.started(name);
  return { id: base.id, label: base.label, status, text };
}
