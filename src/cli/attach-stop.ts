// How an attached `up` ends its containers: gracefully, dependents first, each with its
// stop_grace_period (or -t), shown as progress; or, on a second Ctrl-C, killed at once.
import type { Engine } from '../engine/engine.js';
import { LABEL, projectFilter } from '../plan/labels.js';
import type { Operation, Plan } from '../plan/operations.js';
import { dependencyOrderOf, planDown } from '../plan/plan-down.js';
import type { Project } from '../model/types.js';
import type { GlobalOptions } from './options.js';
import { openView, withPlanRows } from './session.js';

export interface StopScope {
  readonly engine: Engine;
  readonly project: Project;
  /** Services whose containers are stopped. */
  readonly services: readonly string[];
  /** `up -t`: overrides each service's stop_grace_period. */
  readonly timeoutSeconds?: number;
}

/** Stops the running containers of the scope in reverse dependency order, with progress on stderr. */
export async function stopGracefully(scope: StopScope, global: GlobalOptions): Promise<void> {
  const { observe } = await import('../engine/observe.js');
  const observed = await observe(scope.engine, scope.project.name);
  const oneoffs = new Set(observed.containers.filter((c) => c.oneoff).map((c) => c.id));
  const dependencyOrder = dependencyOrderOf(scope.project);
  const down = planDown(observed, {
    services: scope.services,
    dependencyOrder,
    ...(scope.timeoutSeconds === undefined ? {} : { timeoutSeconds: scope.timeoutSeconds }),
  });
  const plan = keepOnly(down, (op) => op.kind === 'stopContainer' && !oneoffs.has(op.containerId));
  if (plan.operations.length === 0) return;
  const { executePlan } = await import('../engine/execute.js');
  await withPlanRows(await openView(global), plan, (view) => executePlan(plan, { engine: scope.engine, sink: view }));
}

/** Kills every running container of the scope (SIGKILL); failures are ignored, as they race exits. */
export async function killRunning(scope: StopScope): Promise<void> {
  const running = await scope.engine.listContainers(projectFilter(scope.project.name));
  const targets = running.filter((c) => c.labels[LABEL.oneoff] !== 'True' && scope.services.includes(c.labels[LABEL.service] ?? ''));
  await Promise.all(targets.map((c) => scope.engine.killContainer(c.id).catch(() => undefined)));
}

/** The operations `keep` accepts, with edges to the others dropped. */
function keepOnly(plan: Plan, keep: (op: Operation) => boolean): Plan {
  const kept = plan.operations.filter(keep);
  const ids = new Set(kept.map((op) => op.id));
  return { operations: kept.map((op) => ({ ...op, dependsOn: op.dependsOn.filter((id) => ids.has(id)) })), warnings: [] };
}
