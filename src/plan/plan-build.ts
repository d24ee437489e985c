// Which services' images get built, and why: for `up` (missing images, `--build`, `pull_policy:
// build`, never with `--no-build`) and for `gantry build` (every selected service with `build:`).
import { UsageError } from '../errors.js';
import type { Project, Service } from '../model/types.js';
import { createPlanBuilder, type BuildOverrides, type Plan, type PlanBuilder } from './operations.js';

/** `up --build` → 'always', `up --no-build` → 'never'. */
export type BuildMode = 'missing' | 'always' | 'never';

export interface PlanBuildOptions {
  /** Only these services. @default every service with `build:` */
  readonly services?: readonly string[];
  readonly overrides?: BuildOverrides;
}

/** `gantry build`: one build per distinct image of the selected services, independent of each other. */
export function planBuild(project: Project, options: PlanBuildOptions = {}): Plan {
  const unknown = (options.services ?? []).filter((name) => !(name in project.services));
  if (unknown.length > 0) throw new UsageError(`no such service: ${unknown.join(', ')}`);
  const selected = options.services?.length ? options.services : Object.keys(project.services);
  const builder = createPlanBuilder();
  addBuilds({ builder, project, services: selected, decide: () => 'build', ...(options.overrides === undefined ? {} : { overrides: options.overrides }) });
  return builder.build();
}

/** Why `up` builds a service's image, or undefined when it does not. */
export function buildCause(service: Service, imagesPresent: ReadonlySet<string>, mode: BuildMode = 'missing'): string | undefined {
  if (service.build === undefined || mode === 'never') return undefined;
  if (mode === 'always') return '--build';
  if (service.pullPolicy === 'build') return 'pull_policy build';
  return isImagePresent(service.image, imagesPresent) ? undefined : 'missing';
}

export interface AddBuildsInput {
  readonly builder: PlanBuilder;
  readonly project: Project;
  readonly services: Iterable<string>;
  /** The cause, or undefined not to build this service. */
  readonly decide: (service: Service) => string | undefined;
  readonly overrides?: BuildOverrides;
}

/**
 * Adds a buildImage operation per service that needs one; services sharing an image share the
 * first one's build. Returns image → operation id, so containers can wait for their image.
 */
export function addBuilds(input: AddBuildsInput): Map<string, string> {
  const builds = new Map<string, string>();
  for (const name of input.services) {
    const service = input.project.services[name];
    if (service?.build === undefined || builds.has(service.image)) continue;
    const cause = input.decide(service);
    if (cause === undefined) continue;
    const id = input.builder.add({
      kind: 'buildImage', resource: `service:${name}`, cause, service: name, image: service.image,
      ...(input.overrides === undefined ? {} : { overrides: input.overrides }),
    });
    builds.set(service.image, id);
  }
  return builds;
}

/** Whether the engine has the image, with or without the implicit `:latest`. */
export function isImagePresent(image: string, imagesPresent: ReadonlySet<string>): boolean {
  if (imagesPresent.has(image)) return true;
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  return !lastPart.includes(':') && !image.includes('@') && imagesPresent.has(`${image}:latest`);
}
