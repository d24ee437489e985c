// `gantry build`: the images of services with `build:`, all at once, with each build's current
// step as its row (and every line with --progress plain).
import { UsageError } from '../../errors.js';
import { planBuild } from '../../plan/plan-build.js';
import { createQuietView } from '../../ui/quiet-view.js';
import type { GlobalOptions } from '../options.js';
import { connectEngine, loadWithWarnings, openView, withInterrupt, withPlanRows } from '../session.js';
import { checkServices } from './up.js';

export interface BuildCommandOptions {
  /** `--no-cache` (commander's negation: false when given). */
  readonly cache?: boolean;
  readonly pull?: boolean;
  readonly buildArg?: readonly string[];
  readonly quiet?: boolean;
}

export async function runBuild(global: GlobalOptions, options: BuildCommandOptions, services: readonly string[]): Promise<void> {
  const { project } = loadWithWarnings(global, services);
  checkServices(project, services);
  const buildArgs = parseBuildArgs(options.buildArg ?? [], process.env);
  const plan = planBuild(project, {
    services,
    overrides: { ...(options.cache === false ? { noCache: true } : {}), ...(options.pull === true ? { pull: true } : {}), buildArgs },
  });
  if (plan.operations.length === 0) {
    if (options.quiet !== true) process.stderr.write('No service to build: none of the selected services has a build section\n');
    return;
  }
  await withInterrupt(async (signal) => {
    const engine = await connectEngine(signal);
    const { executePlan } = await import('../../engine/execute.js');
    const view = options.quiet === true ? createQuietView() : await openView(global);
    await withPlanRows(view, plan, (sink) => executePlan(plan, { engine, project, sink, signal }));
  });
}

/** `--build-arg K=V` sets K; `--build-arg K` takes K from the environment, and is left out when unset there. */
export function parseBuildArgs(entries: readonly string[], env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const args: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const key = eq < 0 ? entry : entry.slice(0, eq);
    if (key === '') throw new UsageError(`invalid --build-arg "${entry}"`, { hint: 'use --build-arg KEY=VALUE, or --build-arg KEY to take it from the environment' });
    const value = eq < 0 ? env[key] : entry.slice(eq + 1);
    if (value !== undefined) args[key] = value;
  }
  return args;
}
