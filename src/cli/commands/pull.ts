// `gantry pull`: the images of the selected services, all at once, with per-layer progress.
// Images that can be built only warn when they cannot be pulled, as in compose.
import { GantryError, InterruptedError } from '../../errors.js';
import type { Engine } from '../../engine/engine.js';
import type { Project, Service } from '../../model/types.js';
import { isImagePresent } from '../../plan/plan-build.js';
import { createQuietView } from '../../ui/quiet-view.js';
import { imageRows, transferImages, type TransferFailure } from '../image-transfer.js';
import type { GlobalOptions } from '../options.js';
import { connectEngine, loadWithWarnings, openView, withInterrupt } from '../session.js';
import { checkServices } from './up.js';

export interface PullCommandOptions {
  readonly ignorePullFailures?: boolean;
  readonly ignoreBuildable?: boolean;
  readonly quiet?: boolean;
}

export async function runPull(global: GlobalOptions, options: PullCommandOptions, services: readonly string[]): Promise<void> {
  const { project } = loadWithWarnings(global, services);
  checkServices(project, services);
  const selected = (services.length > 0 ? services : Object.keys(project.services)).map((name) => project.services[name] as Service);
  await withInterrupt(async (signal) => {
    const engine = await connectEngine(signal);
    const { refs, buildable } = await choosePulls(project, selected, options, engine, signal);
    if (refs.length === 0) return;
    const view = options.quiet === true ? createQuietView() : await openView(global);
    view.start(imageRows(refs));
    let failures: TransferFailure[];
    try {
      failures = await transferImages({
        kind: 'pull', refs, sink: view,
        transfer: (ref, onProgress) => engine.pullImage(ref, onProgress, { signal }),
        tolerate: (ref) => options.ignorePullFailures === true || buildable.has(ref),
      });
    } finally {
      await view.finish();
    }
    if (signal.aborted) throw new InterruptedError();
    throwFailures(failures, 'pull', '--ignore-pull-failures');
  });
}

/**
 * The images to pull, once each: not for `pull_policy: never` or `build`, nor for `missing` when
 * present, nor for a build-only service's default `<project>-<service>` name.
 */
async function choosePulls(project: Project, services: readonly Service[], options: PullCommandOptions, engine: Engine, signal: AbortSignal): Promise<{ refs: string[]; buildable: Set<string> }> {
  const refs = new Set<string>();
  const buildable = new Set<string>();
  for (const service of services) {
    if (service.build !== undefined && (options.ignoreBuildable === true || hasDefaultImageName(project, service))) continue;
    const policy = service.pullPolicy ?? 'always';
    if (policy === 'never' || policy === 'build') continue;
    if ((policy === 'missing' || policy === 'if_not_present') && isImagePresent(service.image, new Set(await present(engine, service.image, signal)))) continue;
    refs.add(service.image);
    if (service.build !== undefined) buildable.add(service.image);
  }
  return { refs: [...refs], buildable };
}

async function present(engine: Engine, image: string, signal: AbortSignal): Promise<string[]> {
  return (await engine.imageExists(image, { signal })) ? [image] : [];
}

/** A service with `build:` and no `image:` gets `<project>-<service>`: an image no registry has. */
export function hasDefaultImageName(project: Project, service: Service): boolean {
  return service.build !== undefined && service.image === `${project.name}-${service.name}`;
}

/** One error naming every image that failed and was not tolerated. */
export function throwFailures(failures: readonly TransferFailure[], verb: 'pull' | 'push', flag: string): void {
  const fatal = failures.filter((f) => !f.tolerated);
  if (fatal.length === 0) return;
  const lines = fatal.map((f) => f.error.message);
  throw new GantryError(lines.length === 1 ? (lines[0] ?? '') : `${lines.length} images could not be ${verb}ed:\n${lines.map((l) => `  - ${l}`).join('\n')}`, {
    cause: fatal[0]?.error,
    hint: `${flag} ${verb}s what it can and only warns about the rest`,
  });
}
