// The planner's public face: Operation and Plan (operations.ts), planUp (plan-up.ts), planDown
// (plan-down.ts) and formatPlan, so callers import one module and the parts stay small.
export {
  addRemoval,
  computeDepths,
  createPlanBuilder,
  formatPlan,
  operationId,
  type Operation,
  type OperationDraft,
  type OperationKind,
  type Plan,
  type PlanBuilder,
} from './operations.js';
export { planUp, type PlanUpOptions, type PullMode } from './plan-up.js';
export { dependencyOrderOf, planDown, type PlanDownOptions } from './plan-down.js';
