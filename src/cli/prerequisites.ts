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
import { planUp } from '../plan/plan.js';
import { planRunPrerequisites } from '../plan/run-service.js';
import type { GlobalOptions } from './options.js';
import { listProjectContainers } from './service-containers.js';
import { openView, planRows } from './session.js';

export interface RunPrerequisitesOptions {
  readonly engine: Engine;
  readonly project: Project;
  readonly service: string;
  /** `--no-deps`: only the service's own networks, volumes and image. */
  readonly noDeps: boolean;
  readonly global: GlobalOptions;
  readonly signal: AbortSignal;
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
  const imagesPresent = await findImages(engine, services.map((d) => project.services[d]).filter(isService), signal);
  const plan = planRunPrerequisites(planUp(project, observed, { services, noDeps: options.noDeps, imagesPresent }), service);
  for (const warning of plan.warnings) process.stderr.write(`WARN ${warning}\n`);
  const { executePlan } = await import('../engine/execute.js');
  // A quiet run when nothing changes (dependencies up already), as compose prints nothing then.
  const busy = plan.operations.some((op) => op.kind !== 'keepContainer' && op.kind !== 'checkExternal');
  const view = busy ? await openView(options.global) : undefined;
  view?.start(planRows(plan));
  try {
    await executePlan(plan, { engine, project, sink: view ?? nullSink, signal });
    // Conditions the plan waited for already (the service had no container yet) are not waited for twice.
    const awaited = new Set(plan.operations.flatMap((op) => (op.kind === 'awaitCondition' ? [`${op.service}:${op.condition}`] : [])));
    const dependsOn = options.noDeps ? [] : effectiveDependencies(project.services[service] as Service)
      .filter((d) => d.service in project.services && !awaited.has(`${d.service}:${d.condition}`));
    await awaitDependencies({ engine, project: project.name, service, dependencies: dependsOn, sink: view ?? nullSink, signal });
  } finally {
    await view?.finish();
  }
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

/** Pulls the one-off's image when it is missing, unless its pull policy or a build says not to. */
export async function ensureImage(engine: Engine, service: Service, signal: AbortSignal): Promise<void> {
  if (await engine.imageExists(service.image, { signal })) return;
  if (service.pullPolicy === 'never' || service.build !== undefined) {
    throw new GantryError(`image ${service.image} for service "${service.name}" is not on the engine`, {
      hint: service.build !== undefined ? 'build it first (gantry build is not there yet: docker build works)' : 'pull it, or change pull_policy',
    });
  }
  process.stderr.write(`Pulling ${service.image}\n`);
  await engine.pullImage(service.image, () => undefined, { signal });
}

async function findImages(engine: Engine, services: readonly Service[], signal: AbortSignal): Promise<Set<string>> {
  const images = [...new Set(services.map((s) => s.image))];
  const present = await Promise.all(images.map(async (image) => ((await engine.imageExists(image, { signal })) ? image : undefined)));
  return new Set(present.filter((i): i is string => i !== undefined));
}

function isService(value: Service | undefined): value is Service {
  return value !== undefined;
}
