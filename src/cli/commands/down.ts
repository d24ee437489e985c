// `gantry down`: stop and remove the project's containers (reverse dependency order), then its
// networks, and with -v its volumes. Works from labels alone; the file only narrows and orders.
import { UsageError } from '../../errors.js';
import { dependencyOrderOf, planDown } from '../../plan/plan.js';
import type { GlobalOptions } from '../options.js';
import { engineWithoutPing, openView, printPlanWarnings, resolveTarget, withInterrupt, withPlanRows } from '../session.js';
import { parsePlanFormat, printDownPlan } from './plan.js';
import { parseTimeout } from './up.js';

export interface DownOptions {
  readonly volumes?: boolean;
  readonly removeOrphans?: boolean;
  readonly rmi?: string;
  readonly timeout?: string;
  readonly dryRun?: boolean;
  /** With dryRun: `text` (default) or `json`, as `gantry plan --format`. */
  readonly format?: string;
}

export async function runDown(global: GlobalOptions, options: DownOptions, services: readonly string[]): Promise<void> {
  if (options.rmi !== undefined && options.rmi !== 'local' && options.rmi !== 'all') throw new UsageError(`invalid --rmi "${options.rmi}"`, { hint: 'use --rmi local or --rmi all' });
  const timeoutSeconds = parseTimeout(options.timeout);
  const format = parsePlanFormat(options.format);
  // Without --dry-run there is no plan to print; failing beats silently ignoring the flag.
  if (options.format !== undefined && options.dryRun !== true) throw new UsageError('--format applies only with --dry-run', { hint: 'use down --dry-run --format json to see what would be removed' });
  const target = resolveTarget(global);
  const project = target.loaded?.project;
  await withInterrupt(async (signal) => {
    // No ping first: observe's reads fail with the same error when the engine is unreachable.
    const engine = await engineWithoutPing();
    const { observe } = await import('../../engine/observe.js');
    const observed = await observe(engine, target.name, { signal });
    const dependencyOrder = project ? dependencyOrderOf(project) : undefined;
    const plan = planDown(observed, {
      removeVolumes: options.volumes === true,
      removeOrphans: options.removeOrphans === true,
      ...(services.length > 0 ? { services } : {}),
      ...(dependencyOrder ? { dependencyOrder } : {}),
      ...(project ? { projectServices: [...Object.keys(project.services), ...project.disabledServices] } : {}),
      ...(options.rmi === 'local' || options.rmi === 'all' ? { rmi: options.rmi } : {}),
      ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
    });
    if (options.dryRun) {
      printDownPlan(plan, { project: target.name, observed, removeVolumes: options.volumes === true, services }, format);
      return;
    }
    if (plan.operations.length === 0) {
      const known = observed.containers.length + observed.networks.length + observed.volumes.length > 0;
      process.stderr.write(known ? `Nothing to remove for project "${target.name}"\n` : `No resources found for project "${target.name}"\n`);
      return;
    }
    printPlanWarnings(plan);
    const { executePlan } = await import('../../engine/execute.js');
    await withPlanRows(await openView(global), plan, (view) => executePlan(plan, { engine, sink: view, signal }));
  });
}
