// Renders an explained plan: one line per resource with its reason, indented details below
// (changed fields, waits, notes), and a summary; or one JSON document for machines.
import { formatChange } from '../plan/diff.js';
import { summarizeSteps, type PlanExplanation, type PlanStep } from '../plan/explain-plan.js';
import type { Plan } from '../plan/operations.js';

const INDENT = '    ';

/** The human form, as `gantry plan` and `up --dry-run` print it. */
export function renderPlanText(explanation: PlanExplanation): string {
  const lines = [`Plan for project ${explanation.project}:`];
  if (explanation.steps.length === 0) lines.push('  (nothing)');
  for (const step of explanation.steps) lines.push(...renderStep(step));
  for (const warning of explanation.warnings) lines.push(`warning: ${warning}`);
  lines.push(`Summary: ${summarizeSteps(explanation.steps)}`);
  return `${lines.join('\n')}\n`;
}

/** The machine form: the explained steps and the raw operations with their edges. */
export function renderPlanJson(explanation: PlanExplanation, plan: Plan): string {
  return `${JSON.stringify({ ...explanation, summary: summarizeSteps(explanation.steps), operations: plan.operations }, null, 2)}\n`;
}

function renderStep(step: PlanStep): string[] {
  const changes = step.changes ?? [];
  // One changed field reads best inline; several are listed under the step.
  const reason = changes.length === 1 ? `${step.reason}: ${formatChange(changes[0] as NonNullable<PlanStep['changes']>[number])}` : step.reason;
  const lines = [`  ${step.action} ${step.kind} ${step.name} (${reason})`];
  if (changes.length > 1) for (const change of changes) lines.push(`${INDENT}${formatChange(change)}`);
  for (const wait of step.waits ?? []) lines.push(`${INDENT}waits for ${wait.service}: ${wait.condition}`);
  for (const note of step.notes ?? []) lines.push(`${INDENT}${note}`);
  return lines;
}
