// What must hold before containers start: for `run`, its dependencies up, its networks, volumes
// and image there; for `run` and `start`, the healthy/completed conditions a service declares.
import { DependencyError, GantryError } from '../errors.js';
import * as ev from '../events/events.js';
import { nullSink, type EventSink } from '../events/events.js';
import type { Engine } from '../engine/engine.js';
import { awaitContainer, ConditionError } from '../engine/wait.js';
import type { Dependency, Project, Service } from '../model/types.js';
import { createDependencyGraph, effectiveDependencies } from '../plan/graph.js';
import { LABEL, projectFilter } from '../plan/labels.js';
import type { BuildMode } from '../plan/plan-build.js';
import type { ImageIds } from '../plan/image-change.js';
import type { Plan } from '../plan/operations.js';
import { planUp, type PullMode } from '../plan/plan.js';
import { planRunPrerequisites } from '../plan/run-service.js';
import type { GlobalOptions } from './options.js';
import { listProjectContainers } from './service-containers.js';
import { openView, planRows, printPlanWarnings } from './session.js';
import { inspectImages, runImageStage } from './up-images.js';
import { createQuietView } from '../ui/quiet-view.js';
import { filterView, isBuildOutput, isPullProgress } from '../ui/filtered-view.js';
import type { ProgressView } from '../ui/view.js';

export interface RunPrerequisitesOptions {
  readonly engine: Engine;
  readonly project: Project;
  readonly service: string;
  /** `--no-deps`: only the service's own networks, volumes and image. */
  readonly noDeps: boolean;
  readonly global: GlobalOptions;
  readonly signal: AbortSignal;
  /** `--pull`. @default 'policy' */
  readonly pull?: PullMode;
  /** `--build` ('always'); otherwise only missing images are built. @default 'missing' */
  readonly build?: BuildMode;
  /** `--remove-orphans`. @default false */
  readonly removeOrphans?: boolean;
  /** `-q`: no progress display at all. @default false */
  readonly quiet?: boolean;
  /** `--quiet-pull`: pulls without their per-layer progress. @default false */
  readonly quietPull?: boolean;
  /** `--quiet-build`: builds without their output. @default false */
  readonly quietBuild?: boolean;
}

/**
 * Before a one-off starts, as compose's run: the networks, volumes and image it needs and,
 * unless --no-deps, its dependencies up (the plan `up` makes for them) and its declared
 * conditions on them met.
 */
export async function startRunPrerequisites(options: RunPrerequisitesOptions): Promise<void> {
  const { engine, project, service, signal } = options;
  const dependencies = options.noDeps ? [] : createDependencyGraph(project).dependenciesOf(service, { transitive: true });
  const services = [...dependencies, service];
  const { observe } = await import('../engine/observe.js');
  const observed = await observe(engine, project.name, { signal });
  const imageIds = await inspectImages(engine, services.flatMap((d) => project.services[d]?.image ?? []), signal);
  const planOptions = { services, noDeps: options.noDeps, imagesPresent: new Set(imageIds.keys()), pull: options.pull ?? 'policy', build: options.build ?? 'missing', removeOrphans: options.removeOrphans === true };
  const planWith = (ids: ImageIds): Plan => planRunPrerequisites(planUp(project, observed, { ...planOptions, imageIds: ids }), service);
  const plan = planWith(imageIds);
  printPlanWarnings(plan);
  const { executePlan } = await import('../engine/execute.js');
  // A quiet run when nothing changes (dependencies up already), as compose prints nothing then.
  const busy = plan.operations.some((op) => op.kind !== 'keepContainer' && op.kind !== 'checkExternal');
  const view = busy ? await openRunView(options) : undefined;
  view?.start(planRows(plan));
  try {
    // As `up`: pulls and builds first, then a dependency whose image they changed is recreated.
    const converge = await runImageStage({ engine, project, plan, imageIds, replan: planWith, sink: view ?? nullSink, signal });
    await executePlan(converge.plan, { engine, project, sink: view ?? nullSink, signal, settled: converge.settled });
    // Conditions the plan waited for already (the service had no container yet) are not waited for twice.
    const awaited = new Set(converge.plan.operations.flatMap((op) => (op.kind === 'awaitCondition' ? [`${op.service}:${op.condition}`] : [])));
    const dependsOn = options.noDeps ? [] : effectiveDependencies(project.services[service] as Service)
      .filter((d) => d.service in project.services && !awaited.has(`${d.service}:${d.condition}`));
    await awaitDependencies({ engine, project: project.name, service, dependencies: dependsOn, sink: view ?? nullSink, signal });
  } finally {
    await view?.finish();
  }
}

async function openRunView(options: RunPrerequisitesOptions): Promise<ProgressView> {
  if (options.quiet === true) return createQuietView();
  const view = await openView(options.global);
  const omitPulls = options.quietPull === true;
  const omitBuilds = options.quietBuild === true;
  if (!omitPulls && !omitBuilds) return view;
  return filterView(view, (event) => (omitPulls && isPullProgress(event)) || (omitBuilds && isBuildOutput(event)));
}

export interface AwaitDependenciesOptions {
  readonly engine: Engine;
  readonly project: string;
  /** The service that waits, for messages. */
  readonly service: string;
  readonly dependencies: readonly Dependency[];
  readonly sink: EventSink;
  readonly signal: AbortSignal;
}

/**
 * Waits for the healthy / completed conditions a service declares on containers that exist
 * already; a required one that cannot be met is a DependencyError, an optional one a warning.
 */
export async function awaitDependencies(options: AwaitDependenciesOptions): Promise<void> {
  const { engine, project, sink, signal } = options;
  const waits = options.dependencies.filter((d) => d.condition !== 'service_started');
  await Promise.all(waits.map(async (dependency) => {
    const containers = await listProjectContainers(engine, project, { services: [dependency.service], all: true });
    for (const container of containers) {
      sink.emit(ev.waiting(container.name));
      try {
        const filter = { ...projectFilter(project), [LABEL.service]: dependency.service };
        const details = await awaitContainer({ engine, container: container.id, condition: dependency.condition, filter, signal });
        sink.emit(dependency.condition === 'service_healthy' ? ev.healthy(container.name) : ev.exited(container.name, `exit code ${details.exitCode}`));
      } catch (error) {
        if (!(error instanceof ConditionError)) throw error;
        sink.emit(ev.failed('container', container.name, error.detail));
        if (!dependency.required) continue;
        throw new DependencyError({ service: options.service, dependency: dependency.service, reason: error.reason, detail: error.evidence }, { cause: error });
      }
    }
  }));
}

export interface EnsureImageOptions {
  readonly signal: AbortSignal;
  /** `--pull`: 'never' forbids the pull whatever the policy. @default 'policy' */
  readonly pull?: PullMode;
  /** `-q`: pull without saying so. @default false */
  readonly quiet?: boolean;
}

/**
 * The last check before create: the prerequisites plan pulls and builds as `up` would, but the
 * image may have gone since. Pulls it unless --pull, its pull policy or a build says not to.
 */
export async function ensureImage(engine: Engine, service: Service, options: EnsureImageOptions): Promise<void> {
  const { signal } = options;
  if (await engine.imageExists(service.image, { signal })) return;
  if (service.build !== undefined) {
    throw new GantryError(`service "${service.name}": image ${service.image} is not on the engine`, { hint: 'build it: gantry build, or gantry run --build' });
  }
  const refusal = pullRefusal(service, options.pull ?? 'policy');
  if (refusal !== undefined) {
    throw new GantryError(`service "${service.name}": image ${service.image} is not on the engine, and ${refusal} forbids pulling it`, {
      hint: 'pull it first (gantry pull), or let run pull it: --pull missing',
    });
  }
  if (options.quiet !== true) process.stderr.write(`Pulling ${service.image}\n`);
  await engine.pullImage(service.image, () => undefined, { signal });
}

function pullRefusal(service: Service, pull: PullMode): string | undefined {
  if (pull === 'never') return '--pull never';
  if (pull !== 'policy') return undefined;
  return service.pullPolicy === 'never' || service.pullPolicy === 'build' ? `pull_policy: ${service.pullPolicy}` : undefined;
}

