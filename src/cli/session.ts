// What the engine commands share: connecting to the engine, resolving which project they act on,
// turning a plan into progress rows, and Ctrl-C handling (stop launching work, exit 130).
import { ConfigError, InterruptedError, UsageError } from '../errors.js';
import type { Engine } from '../engine/engine.js';
import { loadProject, type LoadResult } from '../model/load.js';
import { readEarlyEnv, resolveProjectEnv, type ProjectEnvOptions } from '../model/project-env.js';
import { resolveProjectName } from '../model/project-name.js';
import type { Plan } from '../plan/plan.js';
import type { ProgressRow, ProgressView } from '../ui/view.js';
import { selectView } from '../ui/select-view.js';
import { toLoadOptions, useColor, type GlobalOptions } from './options.js';
import { printHints } from './hints.js';
import { printWarnings } from './warnings.js';

/** Connects to DOCKER_HOST or the default socket; an unreachable engine is one clear EngineError. */
export async function connectEngine(signal?: AbortSignal): Promise<Engine> {
  const engine = await engineWithoutPing();
  await engine.ping(signal ? { signal } : {});
  return engine;
}

/**
 * The engine without a ping first, for a command whose first call says as much (an unreachable
 * engine fails it with the same EngineError) and should not wait one round trip more.
 */
export async function engineWithoutPing(): Promise<Engine> {
  const { createDockerEngine } = await import('../engine/docker-engine.js');
  const host = process.env.DOCKER_HOST;
  return createDockerEngine(host ? { host } : {});
}

/** Loads the compose model and prints its warnings (and, with `hints`, its hints). */
export function loadWithWarnings(global: GlobalOptions, services: readonly string[] = [], options: { hints?: boolean } = {}): LoadResult {
  const result = loadProject(toLoadOptions(global, { services }));
  printWarnings(result.warnings, { color: useColor(global), cwd: process.cwd() });
  if (options.hints === true) printHints(global, result);
  return result;
}

export interface ProjectTarget {
  readonly name: string;
  /** The loaded model, when the file could be read; commands that work from labels go on without. */
  readonly loaded?: LoadResult;
}

/**
 * For commands that work from labels (down, ps): the file is optional. With -p the file is only
 * read when present; a broken or missing file never blocks cleanup when the name is known.
 */
export function resolveTarget(global: GlobalOptions, services: readonly string[] = []): ProjectTarget {
  try {
    // Naming a service enables its profiles, as compose does for `stop tests`.
    const loaded = loadWithWarnings(global, services);
    return { name: loaded.project.name, loaded };
  } catch (error) {
    const name = fallbackName(global);
    if (name === undefined) throw error;
    if (error instanceof ConfigError && global.file?.length) {
      process.stderr.write(`WARN the compose file could not be loaded (${error.message}); acting on project "${name}" from its labels\n`);
    }
    return { name };
  }
}

/**
 * For commands that need only the project's name (ps): with -p and no -f the file is not read at
 * all, as compose v2 decides (its projectOrName); otherwise as {@link resolveTarget}.
 */
export function resolveTargetName(global: GlobalOptions): ProjectTarget {
  if (global.projectName === undefined || global.projectName === '' || (global.file?.length ?? 0) > 0) return resolveTarget(global);
  return { name: resolveProjectName({ flag: global.projectName, env: {}, workingDir: process.cwd() }) };
}

/**
 * The project's name when -p gives it, without reading anything (a load would come to the same
 * name); undefined without -p or when the name is invalid (the load then reports it).
 */
export function nameFromFlag(global: GlobalOptions): string | undefined {
  if (global.projectName === undefined || global.projectName === '') return undefined;
  try {
    return resolveProjectName({ flag: global.projectName, env: {}, workingDir: process.cwd() });
  } catch {
    return undefined;
  }
}

/**
 * The name from -p / COMPOSE_PROJECT_NAME (the shell's, else the .env's), else the discovered
 * directory's: the same rules as a load. A .env that cannot be read leaves only the shell.
 */
function fallbackName(global: GlobalOptions): string | undefined {
  const options: ProjectEnvOptions = {
    cwd: process.cwd(), env: process.env,
    ...(global.file?.length ? { files: global.file } : {}),
    ...(global.projectDirectory === undefined ? {} : { projectDirectory: global.projectDirectory }),
    ...(global.envFile?.length ? { envFiles: global.envFile } : {}),
  };
  let workingDir = process.cwd();
  let envName = process.env.COMPOSE_PROJECT_NAME;
  try {
    const found = resolveProjectEnv(options);
    workingDir = found.discovered.workingDir;
    envName = found.interpolation.lookup('COMPOSE_PROJECT_NAME');
  } catch {
    envName = earlyProjectName(options) ?? envName;
    if (!global.projectName && !envName) return undefined;
  }
  try {
    return resolveProjectName({ ...(global.projectName === undefined ? {} : { flag: global.projectName }), env: { COMPOSE_PROJECT_NAME: envName }, workingDir });
  } catch (error) {
    if (error instanceof UsageError && (global.projectName || envName)) throw error;
    return undefined;
  }
}

/** One progress row per resource the plan touches, in plan order. */
export function planRows(plan: Plan): ProgressRow[] {
  const rows = new Map<string, ProgressRow>();
  for (const op of plan.operations) {
    if (op.kind === 'awaitCondition' || rows.has(op.resource)) continue;
    rows.set(op.resource, { id: op.resource, label: labelOf(op.resource) });
  }
  return [...rows.values()];
}

function labelOf(resource: string): string {
  const [kind = '', ...rest] = resource.split(':');
  return `${kind.charAt(0).toUpperCase()}${kind.slice(1)} ${rest.join(':')}`;
}

/** COMPOSE_PROJECT_NAME from the shell or the .env read before the files are known; undefined if unreadable. */
function earlyProjectName(options: ProjectEnvOptions): string | undefined {
  try {
    return readEarlyEnv(options).interpolation.lookup('COMPOSE_PROJECT_NAME');
  } catch {
    return undefined;
  }
}

/** Shows a row per resource of the plan while `work` runs, and closes the view however it ends. */
export async function withPlanRows(view: ProgressView, plan: Plan, work: (view: ProgressView) => Promise<void>): Promise<void> {
  view.start(planRows(plan));
  try {
    await work(view);
  } finally {
    await view.finish();
  }
}

/** The planner's warnings (orphans, …), before any progress. */
export function printPlanWarnings(plan: Plan): void {
  for (const warning of plan.warnings) process.stderr.write(`WARN ${warning}\n`);
}

export async function openView(global: GlobalOptions): Promise<ProgressView> {
  return selectView({ progress: global.progress, stream: process.stderr, env: useColor(global) ? process.env : { ...process.env, NO_COLOR: '1' } });
}

/**
 * Runs work with an AbortSignal that Ctrl-C (or SIGTERM) aborts: the work stops launching new
 * operations and throws InterruptedError. A second Ctrl-C exits at once.
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\nInterrupted: finishing calls in flight (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } catch (error) {
    // An abort outside the executor (connecting, observing) surfaces as the signal's AbortError.
    if (controller.signal.aborted && !(error instanceof InterruptedError)) throw new InterruptedError();
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
