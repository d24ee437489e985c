// `gantry run SERVICE [CMD…]`: a one-off container of a service, after its dependencies are up.
// Attached, Gantry exits with the container's exit code; the first Ctrl-C is passed on to the
// container, a second one kills it. With --rm the container is removed however the run ends.
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { EngineError, GantryError, InterruptedError, UsageError } from '../../errors.js';
import type { Engine } from '../../engine/engine.js';
import { splitShellWords } from '../../model/shell-split.js';
import { configHash } from '../../plan/hash.js';
import { prepareRunService, type RunService } from '../../plan/run-service.js';
import type { GlobalOptions } from '../options.js';
import { readRunEnvFiles } from '../run-env-files.js';
import { resolveRunFlags, type RunOptions } from '../run-flags.js';
import { ensureImage, startRunPrerequisites } from '../prerequisites.js';
import { connectEngine, loadWithWarnings } from '../session.js';
import { isTerminal, openLocalSession } from '../terminal.js';
import { checkServices } from './up.js';
import { checkFileSources } from '../file-sources.js';
import { injectFiles } from '../../engine/inject-files.js';

export type { RunOptions } from '../run-flags.js';

export async function runRun(global: GlobalOptions, options: RunOptions, service: string, command: readonly string[]): Promise<void> {
  // Flags first: a mistyped flag is reported whatever state the file is in.
  const settings = resolveRunFlags(options, { isTerminal: isTerminal(), env: process.env });
  const { project } = loadWithWarnings(global, [service]);
  checkServices(project, [service]);
  checkFileSources(project, [service], { noDeps: options.deps === false });
  const { detach, tty, interactive } = settings;
  const slug = randomBytes(32).toString('hex');
  const prepared = prepareRunService(project, service, {
    command,
    ...(options.entrypoint === undefined ? {} : { entrypoint: splitEntrypoint(options.entrypoint) }),
    env: [...readRunEnvFiles({ files: options.envFromFile ?? [], envFlags: options.env ?? [], hostEnv: process.env, cwd: process.cwd() }), ...(options.env ?? [])],
    hostEnv: process.env,
    volumes: settings.volumes,
    publish: options.publish ?? [],
    servicePorts: options.servicePorts === true,
    labels: settings.labels,
    capAdd: settings.capAdd,
    capDrop: settings.capDrop,
    ...(options.user === undefined ? {} : { user: options.user }),
    ...(options.workdir === undefined ? {} : { workingDir: options.workdir }),
    ...(options.name === undefined ? {} : { name: options.name }),
    tty,
    interactive,
    slug,
    homeDir: homedir(),
  });
  const session = createRunSession();
  try {
    const engine = await connectEngine(session.signal);
    await startRunPrerequisites({
      engine, project, service, noDeps: options.deps === false, global, signal: session.signal,
      pull: settings.pull, build: settings.build, removeOrphans: settings.removeOrphans, quiet: settings.quiet, quietPull: settings.quietPull, quietBuild: settings.quietBuild,
    });
    await ensureImage(engine, prepared.service, { signal: session.signal, pull: settings.pull, quiet: settings.quiet });
    const { createRunSpec } = await import('../../engine/run-spec.js');
    const spec = createRunSpec({ ...prepared, configHash: configHash(prepared.service, project), slug, autoRemove: options.rm === true, attach: !detach, useAliases: settings.useAliases });
    const id = await engine.createContainer(spec, { signal: session.signal });
    // A one-off that never started is of no use to anyone: do not leave it behind.
    await injectFiles(engine, project, prepared.service, id, session.signal).catch(async (error: unknown) => {
      await removeQuietly(engine, id);
      throw error;
    });
    if (detach) {
      await engine.startContainer(id, { signal: session.signal });
      process.stdout.write(`${id}\n`);
      return;
    }
    process.exitCode = await attach(engine, id, prepared, { tty, interactive, rm: options.rm === true, session });
  } catch (error) {
    throw session.signal.aborted ? new InterruptedError() : error;
  } finally {
    session.close();
  }
}

interface AttachOptions {
  readonly tty: boolean;
  readonly interactive: boolean;
  readonly rm: boolean;
  readonly session: RunSession;
}

async function attach(engine: Engine, id: string, prepared: RunService, options: AttachOptions): Promise<number> {
  const local = openLocalSession({ tty: options.tty, interactive: options.interactive });
  options.session.forwardTo((signalName) => engine.killContainer(id, { signalName }));
  try {
    return await engine.startAttached(id, local.streams, { tty: options.tty, autoRemove: options.rm, signal: options.session.signal });
  } catch (error) {
    if (options.session.signal.aborted) await engine.killContainer(id).catch(() => undefined);
    throw toStartError(error, prepared.name);
  } finally {
    local.restore();
    if (options.rm) await removeQuietly(engine, id);
  }
}

/** The container may be gone already (AutoRemove) or on its way out: neither is a failure. */
async function removeQuietly(engine: Engine, id: string): Promise<void> {
  await engine.removeContainer(id, { force: true }).catch((error: unknown) => {
    if (error instanceof EngineError && (error.statusCode === 404 || error.statusCode === 409)) return;
    process.stderr.write(`WARN could not remove the one-off container: ${error instanceof Error ? error.message : String(error)}\n`);
  });
}

/** A command the image does not have exits 127 (126 when not executable), as `docker run` does. */
function toStartError(error: unknown, name: string): unknown {
  if (!(error instanceof EngineError)) return error;
  const message = error.message;
  if (/executable file not found|no such file or directory/i.test(message)) return new GantryError(`${name}: ${message}`, { cause: error, exitCode: 127 });
  if (/permission denied/i.test(message)) return new GantryError(`${name}: ${message}`, { cause: error, exitCode: 126 });
  return error;
}

function splitEntrypoint(text: string): string[] {
  const split = splitShellWords(text);
  if ('error' in split) throw new UsageError(`invalid --entrypoint "${text}": ${split.error}`);
  return split.words;
}

interface RunSession {
  readonly signal: AbortSignal;
  /** While attached, the first SIGINT/SIGTERM goes to the container instead of stopping Gantry. */
  forwardTo(send: (signal: string) => Promise<void>): void;
  close(): void;
}

function createRunSession(): RunSession {
  const controller = new AbortController();
  let forward: ((signal: string) => Promise<void>) | undefined;
  let forwarded = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (forward !== undefined && !forwarded) {
      forwarded = true;
      process.stderr.write(`\nPassing ${signal} to the container (again to kill it)\n`);
      forward(signal).catch(() => undefined);
      return;
    }
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new InterruptedError());
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    forwardTo: (send) => void (forward = send),
    close: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
