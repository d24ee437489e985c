// `gantry up`: load → observe → plan (pure) → execute, with progress as events on stderr.
import { UsageError } from '../../errors.js';
import { nearest } from '../../model/suggest.js';
import type { Project } from '../../model/types.js';
import type { ImageIds } from '../../plan/image-change.js';
import { planUp, type Plan, type PlanUpOptions } from '../../plan/plan.js';
import { checkDetachedFlags, parseWaitTimeout, resolveAttachSettings, type AttachFlagsInput } from '../attach-settings.js';
import type { AttachSession } from '../attach.js';
import { isTruthy, parsePull, useColor, type GlobalOptions } from '../options.js';
import { engineWithoutPing, loadWithWarnings, openView, printPlanWarnings, withInterrupt, withPlanRows } from '../session.js';
import { checkFileSources } from '../file-sources.js';

export interface UpOptions extends AttachFlagsInput {
  readonly detach?: boolean;
  readonly dryRun?: boolean;
  readonly forceRecreate?: boolean;
  readonly recreate?: boolean;
  /** `-V`: recreated containers do not inherit their predecessor's anonymous volumes. */
  readonly renewAnonVolumes?: boolean;
  readonly deps?: boolean;
  readonly removeOrphans?: boolean;
  readonly scale?: readonly string[];
  readonly pull?: string;
  /** `--build` (true) / `--no-build` (false); unset builds only missing images. */
  readonly build?: boolean;
  readonly timeout?: string;
  /** `--wait-timeout SECONDS`, with --wait. */
  readonly waitTimeout?: string;
  /** `--no-color`: monochrome log prefixes. */
  readonly color?: boolean;
  /** With dryRun: how the plan is printed (`gantry plan --format`). @default 'text' */
  readonly format?: 'text' | 'json';
}

export async function runUp(global: GlobalOptions, options: UpOptions, services: readonly string[]): Promise<void> {
  if (options.forceRecreate && options.recreate === false) throw new UsageError('--force-recreate and --no-recreate cannot be used together');
  const loaded = loadWithWarnings(global, services, { hints: true });
  const { project } = loaded;
  checkServices(project, services);
  checkFileSources(project, services, { noDeps: options.deps === false });
  const scale = parseScale(options.scale ?? [], project);
  const pull = parsePull(options.pull);
  const timeoutSeconds = parseTimeout(options.timeout);
  checkDetachedFlags(options);
  const waitMs = parseWaitTimeout(options.waitTimeout);
  // Attached unless -d, --wait (which implies -d) or --dry-run.
  const attached = options.detach === true || options.wait === true || options.dryRun === true ? undefined
    : resolveAttachSettings(project, services, options, { color: options.color !== false && useColor(global, process.stdout), ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }) });
  const holder: { session?: AttachSession } = {};
  const failure = await withInterrupt(async (signal) => {
    // No ping first: the reads below fail with the same error when the engine is unreachable.
    const engine = await engineWithoutPing();
    const { observe } = await import('../../engine/observe.js');
    const { inspectImages, runImageStage } = await import('../up-images.js');
    const { printImageHints, readImageHints } = await import('../image-hints.js');
    // Started first so its reads (only with bind mounts) overlap the two below.
    const imageHints = readImageHints(global, loaded, engine, signal);
    // One round trip for both: neither needs the other's answer.
    const [observed, imageIds] = await Promise.all([observe(engine, project.name, { signal }), inspectImages(engine, Object.values(project.services).map((s) => s.image), signal)]);
    // What is present before any pull or build decides what to pull and build, in both plans.
    const imagesPresent = new Set(imageIds.keys());
    printImageHints(global, await imageHints);
    const planOptions: PlanUpOptions = {
      services,
      noDeps: options.deps === false,
      forceRecreate: options.forceRecreate === true,
      noRecreate: options.recreate === false,
      renewAnonVolumes: options.renewAnonVolumes === true,
      removeOrphans: options.removeOrphans === true || isTruthy(process.env.COMPOSE_REMOVE_ORPHANS),
      scale,
      pull,
      imagesPresent,
      build: options.build === true ? 'always' : options.build === false ? 'never' : 'missing',
      ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
    };
    const planWith = (ids: ImageIds): Plan => planUp(project, observed, { ...planOptions, imageIds: ids });
    const plan = planWith(imageIds);
    if (options.dryRun) {
      const { printUpPlan } = await import('./plan.js');
      printUpPlan(plan, { project, observed }, options.format);
      return;
    }
    printPlanWarnings(plan);
    const { executePlan } = await import('../../engine/execute.js');
    await withPlanRows(await openView(global), plan, async (view) => {
      // Pulls and builds first: whether a container is recreated depends on the image ids they leave.
      const converge = await runImageStage({ engine, project, plan, imageIds, replan: planWith, sink: view, signal });
      if (attached !== undefined) holder.session = await (await import('../attach.js')).beginAttach({ engine, project, plan: converge.plan, observed, settings: attached, global });
      await executePlan(converge.plan, { engine, project, sink: view, signal, settled: converge.settled });
      if (options.wait === true) {
        const { awaitReady, plannedContainerNames } = await import('../../engine/ready.js');
        await awaitReady({ engine, project: project.name, containers: plannedContainerNames(converge.plan), sink: view, signal, ...(waitMs === undefined ? {} : { timeoutMs: waitMs }) });
      }
    });
  }).then(() => undefined, (error: unknown) => ({ error }));
  await (await import('../attach.js')).endAttached(holder.session, failure);
}

export function checkServices(project: Project, services: readonly string[]): void {
  const unknown = services.filter((s) => !(s in project.services));
  if (unknown.length === 0) return;
  const disabled = unknown.filter((s) => project.disabledServices.includes(s));
  if (disabled.length > 0) throw new UsageError(`service "${disabled[0]}" is disabled by its profiles`, { hint: 'enable its profile with --profile NAME' });
  const guess = unknown.length === 1 ? nearest(unknown[0] ?? '', Object.keys(project.services)) : undefined;
  throw new UsageError(`no such service: ${unknown.join(', ')}`, { hint: guess !== undefined ? `did you mean "${guess}"?` : `services in this project: ${Object.keys(project.services).join(', ')}` });
}

function parseScale(entries: readonly string[], project: Project): Record<string, number> {
  const scale: Record<string, number> = {};
  for (const entry of entries) {
    const match = /^([^=]+)=(\d+)$/.exec(entry);
    if (!match) throw new UsageError(`invalid --scale "${entry}"`, { hint: 'use --scale SERVICE=NUMBER, e.g. --scale web=3' });
    const [, service = '', count = '0'] = match;
    checkServices(project, [service]);
    scale[service] = Number(count);
  }
  return scale;
}

export function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`invalid timeout "${value}"`, { hint: 'give whole seconds, e.g. -t 5' });
  return Number(value);
}
