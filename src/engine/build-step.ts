// The buildImage step: a service's `build:` section → a context tar stream and build options →
// the engine, with the current step as the row's progress and every line as a log event.
import { BuildError, GantryError } from '../errors.js';
import * as ev from '../events/events.js';
import type { EventSink } from '../events/events.js';
import type { Build, Project, Service } from '../model/types.js';
import { LABEL } from '../plan/labels.js';
import type { BuildOverrides, Operation } from '../plan/operations.js';
import { createBuildContext } from './build-context.js';
import type { BuildOptions, Engine } from './engine.js';

export interface BuildStepContext {
  readonly engine: Engine;
  readonly project: Project;
  readonly sink: EventSink;
  readonly signal: AbortSignal | undefined;
  /** Where `args` without a value take theirs from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const REMOTE_CONTEXT = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/|github\.com\/)/;

export async function buildServiceImage(op: Extract<Operation, { kind: 'buildImage' }>, ctx: BuildStepContext): Promise<void> {
  const service = ctx.project.services[op.service];
  if (service?.build === undefined) throw new GantryError(`internal: service "${op.service}" has no build section`);
  const build = service.build;
  if (REMOTE_CONTEXT.test(build.context)) {
    throw new GantryError(`build context ${build.context} is remote, which Gantry cannot build from yet`, { hint: 'clone it and point build.context at the directory' });
  }
  ctx.sink.emit(ev.building(op.service));
  const context = await createBuildContext({
    contextDir: build.context,
    ...(build.dockerfile === undefined ? {} : { dockerfile: build.dockerfile }),
    ...(build.dockerfileInline === undefined ? {} : { dockerfileInline: build.dockerfileInline }),
  });
  const options = toBuildOptions({ project: ctx.project, service, build, dockerfile: context.dockerfile, overrides: op.overrides, env: ctx.env ?? process.env });
  let step: string | undefined;
  const id = await ctx.engine.buildImage(context.stream, options, (progress) => {
    if (progress.step !== undefined && progress.step !== step) {
      step = progress.step;
      // The step's header is its first line: shown once, as the row's new state.
      if (progress.line === progress.step) return ctx.sink.emit(ev.building(op.service, progress.step));
    }
    ctx.sink.emit(ev.buildLog(op.service, progress.line));
  }, ctx.signal === undefined ? {} : { signal: ctx.signal }).catch((error: unknown) => {
    context.stream.destroy();
    throw error instanceof BuildError ? describeBuildFailure(error) : error;
  });
  if (options.platform !== undefined) await verifyPlatform(ctx.engine, id, options);
  ctx.sink.emit(ev.built(op.service, shortId(id)));
}

/**
 * The classic builder takes a platform but, from a base image of another platform with no RUN
 * step, quietly builds the engine's own: an image that says it is something else must not stay.
 */
async function verifyPlatform(engine: Engine, id: string, options: BuildOptions): Promise<void> {
  const built = await engine.inspectImage(id);
  const wanted = options.platform ?? '';
  if (built === undefined || samePlatform(built.platform, wanted)) return;
  for (const tag of options.tags) await engine.removeImage(tag);
  throw new GantryError(`build.platforms asks for ${wanted}, but the engine built ${built.platform}: its classic builder cannot build for another platform here`, {
    hint: 'build on an engine of that platform, or with docker buildx',
  });
}

/** 'linux/arm64' matches 'linux/arm64/v8': a platform without a variant accepts any. */
function samePlatform(actual: string, wanted: string): boolean {
  const [os, arch, variant] = wanted.toLowerCase().split('/');
  const [actualOs, actualArch, actualVariant] = actual.toLowerCase().split('/');
  return os === actualOs && arch === actualArch && (variant === undefined || variant === actualVariant);
}

export interface BuildOptionsInput {
  readonly project: Project;
  readonly service: Service;
  readonly build: Build;
  /** The Dockerfile's name inside the context. */
  readonly dockerfile: string;
  readonly overrides: BuildOverrides | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The engine's build parameters for a service; pure, so the mapping is tested without an engine. */
export function toBuildOptions(input: BuildOptionsInput): BuildOptions {
  const { project, service, build, overrides } = input;
  const platform = choosePlatform(service, build);
  return {
    tags: [...new Set([service.image, ...build.tags])],
    dockerfile: input.dockerfile,
    buildArgs: { ...resolveArgs(build.args, input.env), ...overrides?.buildArgs },
    ...(build.target === undefined ? {} : { target: build.target }),
    // As compose, the image says which project and service it is for. The classic builder adds a
    // step per label, so not compose's version label too: it would only cost a step per build.
    labels: { ...build.labels, [LABEL.project]: project.name, [LABEL.service]: service.name },
    ...(build.network === undefined ? {} : { networkMode: build.network }),
    extraHosts: build.extraHosts.map((entry) => (entry.includes('=') ? entry.replace('=', ':') : entry)),
    ...(build.shmSize === undefined ? {} : { shmSize: build.shmSize }),
    cacheFrom: build.cacheFrom,
    noCache: overrides?.noCache ?? build.noCache,
    pull: overrides?.pull === true || build.pull,
    ...(platform === undefined ? {} : { platform }),
  };
}

/** `args: [FOO]` (no value) takes FOO from the environment, and is left out when it is unset there. */
function resolveArgs(args: Build['args'], env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(args)) {
    const resolved = value ?? env[key];
    if (resolved !== undefined) out[key] = resolved;
  }
  return out;
}

/** The classic builder makes one image for one platform: several in `platforms` need BuildKit. */
function choosePlatform(service: Service, build: Build): string | undefined {
  if (build.platforms.length > 1) {
    throw new GantryError(`build.platforms lists ${build.platforms.length} platforms (${build.platforms.join(', ')}), but the engine's classic builder builds one platform at a time`, {
      hint: 'keep one platform in build.platforms, or build multi-platform images with docker buildx',
    });
  }
  const [only] = build.platforms;
  if (only !== undefined && service.platform !== undefined && only !== service.platform) {
    throw new GantryError(`platform ${service.platform} is not in build.platforms (${only})`);
  }
  return only ?? service.platform;
}

/** The failing step and the lines it printed last, for the message users read. */
function describeBuildFailure(error: BuildError): GantryError {
  const where = error.step === undefined ? 'build failed' : `build failed at ${error.step}`;
  const output = error.output.filter((line) => line.trim() !== '');
  const hint = output.length === 0 ? undefined : `the step's last output:\n${output.map((line) => `      ${line}`).join('\n')}`;
  // The builder repeats the whole command in its reason; the step already shows it.
  const reason = error.reason.replace(/^The command '[\s\S]*' returned a non-zero code: (\d+)$/, 'exit code $1');
  return new GantryError(`${where}: ${reason}`, { cause: error, ...(hint === undefined ? {} : { hint }) });
}

function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}
