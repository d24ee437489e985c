// `gantry plan`: what `up` would do, in order and with reasons, changing nothing. It is `up
// --dry-run` with a --format flag; both print through printUpPlan, as does `down --dry-run`.
import { UsageError } from '../../errors.js';
import { explainDownPlan, explainUpPlan, type ExplainDownContext, type ExplainUpContext } from '../../plan/explain-plan.js';
import type { Plan } from '../../plan/operations.js';
import { renderPlanJson, renderPlanText } from '../../ui/plan-view.js';
import type { GlobalOptions } from '../options.js';
import { runUp, type UpOptions } from './up.js';

export type PlanFormat = 'text' | 'json';

export interface PlanCommandOptions extends Omit<UpOptions, 'detach' | 'dryRun' | 'format'> {
  readonly format?: string;
}

export async function runPlan(global: GlobalOptions, options: PlanCommandOptions, services: readonly string[]): Promise<void> {
  const format = parsePlanFormat(options.format);
  await runUp(global, { ...options, dryRun: true, format }, services);
}

/** `text` (default) or `json`; anything else is a usage error. */
export function parsePlanFormat(value: string | undefined): PlanFormat {
  if (value === undefined || value === 'text' || value === 'table') return 'text';
  if (value === 'json') return 'json';
  throw new UsageError(`unknown format "${value}"`, { hint: 'use --format text or --format json' });
}

export function printUpPlan(plan: Plan, ctx: ExplainUpContext, format: PlanFormat = 'text'): void {
  const explanation = explainUpPlan(plan, ctx);
  process.stdout.write(format === 'json' ? renderPlanJson(explanation, plan) : renderPlanText(explanation));
}

export function printDownPlan(plan: Plan, ctx: ExplainDownContext, format: PlanFormat = 'text'): void {
  const explanation = explainDownPlan(plan, ctx);
  process.stdout.write(format === 'json' ? renderPlanJson(explanation, plan) : renderPlanText(explanation));
}
