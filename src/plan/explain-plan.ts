// A plan for people: the operations `up` or `down` would run, folded into one step per resource
// (a recreate is stop + remove + create + start), each with its reason, the fields that changed
// and the dependencies it waits for. Pure: `gantry plan`, `up --dry-run` and `down --dry-run`
// render it as text or JSON.
import type { Condition, Project } from '../model/types.js';
import { diffConfigs, type FieldChange } from './diff.js';
import { createDependencyGraph, effectiveDependencies } from './graph.js';
import { pendingImages } from './image-stage.js';
import type { ObservedState } from './observed.js';
import { computeDepths, type Operation, type Plan } from './operations.js';
import { desiredConfig, readRecordedConfig } from './recorded-config.js';

export type StepAction = 'create' | 'recreate' | 'start' | 'keep' | 'remove' | 'pull' | 'build' | 'check';
export type StepKind = 'container' | 'network' | 'volume' | 'image';

export interface StepWait {
  readonly service: string;
  readonly condition: Condition;
}

export interface PlanStep {
  readonly action: StepAction;
  readonly kind: StepKind;
  /** Engine-side name: 'demo-web-1', 'demo_default', 'postgres:16'. */
  readonly name: string;
  readonly service?: string;
  /** Why: 'not found', 'config changed', 'dependency db recreated', 'orphan', 'running', … */
  readonly reason: string;
  /** For a recreate caused by a config change: each field that differs. */
  readonly changes?: readonly FieldChange[];
  /** Dependencies this container waits for before it starts. */
  readonly waits?: readonly StepWait[];
  /** Further explanation, one sentence each. */
  readonly notes?: readonly string[];
}

export interface PlanExplanation {
  readonly project: string;
  readonly steps: readonly PlanStep[];
  readonly warnings: readonly string[];
}

export interface ExplainUpContext {
  readonly project: Project;
  readonly observed: ObservedState;
}

/** Steps in the order they take effect: removals, resources, then containers in start order. */
export function explainUpPlan(plan: Plan, ctx: ExplainUpContext): PlanExplanation {
  const byId = new Map(plan.operations.map((op) => [op.id, op]));
  const created = new Set(plan.operations.filter((op) => op.kind === 'createContainer').map((op) => op.resource));
  const recreated = new Set(plan.operations.flatMap((op) => (op.kind === 'createContainer' && op.replaces !== undefined ? [op.service] : [])));
  const rank = new Map(createDependencyGraph(ctx.project).startOrder().map((name, i) => [name, i]));
  const pending = pendingImages(plan);
  const ordered: { step: PlanStep; key: readonly [number, number, string] }[] = [];
  for (const op of plan.operations) {
    const step = containerStep(op, { ...ctx, byId, created, recreated, pending });
    if (step !== undefined) ordered.push({ step, key: [2, rank.get(step.service ?? '') ?? 0, step.name] });
    const other = step === undefined ? resourceStep(op, created) : undefined;
    if (other !== undefined) ordered.push({ step: other, key: [other.kind === 'container' ? 0 : other.action === 'remove' ? 3 : 1, KIND_ORDER[other.kind], other.name] });
  }
  return { project: ctx.project.name, steps: sortSteps(ordered), warnings: plan.warnings };
}

export interface ExplainDownContext {
  readonly project: string;
  readonly observed: ObservedState;
  /** `-v` was given. */
  readonly removeVolumes: boolean;
  /** Services named on the command line: networks and volumes are then left alone. */
  readonly services?: readonly string[];
}

/** What `down` removes, dependents first, and the volumes it keeps. */
export function explainDownPlan(plan: Plan, ctx: ExplainDownContext): PlanExplanation {
  const depths = computeDepths(plan);
  const ordered: { step: PlanStep; key: readonly [number, number, string] }[] = [];
  for (const op of plan.operations) {
    const step = resourceStep(op, new Set());
    if (step !== undefined) ordered.push({ step, key: [step.kind === 'container' ? 0 : 1, depths.get(op.id) ?? 0, step.name] });
  }
  const removed = new Set(plan.operations.flatMap((op) => (op.kind === 'removeVolume' ? [op.name] : [])));
  const limited = (ctx.services?.length ?? 0) > 0;
  for (const volume of ctx.observed.volumes) {
    if (removed.has(volume.name)) continue;
    const reason = limited ? 'down of some services keeps volumes' : 'named volumes are kept; down -v removes them';
    ordered.push({ step: { action: 'keep', kind: 'volume', name: volume.name, reason }, key: [2, 0, volume.name] });
  }
  return { project: ctx.project, steps: sortSteps(ordered), warnings: plan.warnings };
}

/** "1 to create, 1 to recreate, 2 unchanged": counts by action, in a fixed order. */
export function summarizeSteps(steps: readonly PlanStep[]): string {
  const words: [StepAction, string][] = [['create', 'to create'], ['recreate', 'to recreate'], ['start', 'to start'], ['pull', 'to pull'], ['build', 'to build'], ['remove', 'to remove'], ['keep', 'unchanged']];
  const parts = words.map(([action, word]) => [steps.filter((s) => s.action === action).length, word] as const).filter(([n]) => n > 0);
  return parts.length === 0 ? 'nothing to do' : parts.map(([n, word]) => `${n} ${word}`).join(', ');
}

/** Within a group: networks, then volumes, then images, as `up` needs them. */
const KIND_ORDER: Readonly<Record<StepKind, number>> = { container: 0, network: 1, volume: 2, image: 3 };

interface StepContext extends ExplainUpContext {
  readonly byId: ReadonlyMap<string, Operation>;
  readonly created: ReadonlySet<string>;
  readonly recreated: ReadonlySet<string>;
  /** Images the plan pulls or builds first, and how. */
  readonly pending: ReadonlyMap<string, 'pull' | 'build'>;
}

/** A container's create/recreate/start/keep step; undefined for other operations. */
function containerStep(op: Operation, ctx: StepContext): PlanStep | undefined {
  if (op.kind === 'createContainer') {
    const start = ctx.byId.get(`startContainer ${op.resource}`);
    const changes = op.replaces === undefined || op.cause !== 'config changed' ? undefined : changesOf(op.replaces, op.service, ctx);
    const dependents = op.replaces === undefined ? [] : dependentsOf(op.service, ctx.project);
    const notes = [
      ...(changes === null ? ['the container has no recorded config (created by another tool): only its config hash differs'] : []),
      ...(dependents.length > 0 ? [`dependents: ${dependents.join(', ')}`] : []),
    ];
    return {
      action: op.replaces === undefined ? 'create' : 'recreate', kind: 'container', name: op.name, service: op.service, reason: op.cause,
      ...(changes ? { changes } : {}), ...waitsOf(start, ctx.byId), ...(notes.length > 0 ? { notes } : {}),
    };
  }
  if (op.kind === 'startContainer' && !ctx.created.has(op.resource)) {
    return { action: 'start', kind: 'container', name: op.name, service: op.service, reason: op.cause, ...waitsOf(op, ctx.byId), ...notesOfKept(op.service, ctx) };
  }
  if (op.kind === 'keepContainer') {
    return { action: 'keep', kind: 'container', name: op.name, service: op.service, reason: op.cause, ...notesOfKept(op.service, ctx) };
  }
  return undefined;
}

/** Networks, volumes, images and removals; a recreate's own stop and remove are folded away. */
function resourceStep(op: Operation, created: ReadonlySet<string>): PlanStep | undefined {
  switch (op.kind) {
    case 'createNetwork': return { action: 'create', kind: 'network', name: op.name, reason: op.cause };
    case 'createVolume': return { action: 'create', kind: 'volume', name: op.name, reason: op.cause };
    case 'checkExternal': return { action: 'check', kind: op.target, name: op.name, reason: 'external: it must already exist' };
    case 'pullImage': return { action: 'pull', kind: 'image', name: op.image, reason: op.cause };
    case 'buildImage': return { action: 'build', kind: 'image', name: op.image, service: op.service, reason: op.cause };
    case 'removeContainer': {
      if (created.has(op.resource)) return undefined;
      const reason = op.removeVolumes ? `${op.cause}, with its anonymous volumes` : op.cause;
      return { action: 'remove', kind: 'container', name: op.name, service: op.service, reason };
    }
    case 'removeNetwork': return { action: 'remove', kind: 'network', name: op.name, reason: op.cause };
    case 'removeVolume': return { action: 'remove', kind: 'volume', name: op.name, reason: op.cause };
    case 'removeImage': return { action: 'remove', kind: 'image', name: op.image, reason: op.cause };
    default: return undefined;
  }
}

/** The changed fields; null when the old container's config was not recorded. */
function changesOf(containerId: string, service: string, ctx: StepContext): FieldChange[] | null {
  const container = ctx.observed.containers.find((c) => c.id === containerId);
  const desired = ctx.project.services[service];
  const recorded = container === undefined ? undefined : readRecordedConfig(container.labels);
  if (recorded === undefined || desired === undefined) return null;
  return diffConfigs(recorded, desiredConfig(desired, ctx.project));
}

/** What a container's start waits for: conditions, and plain starts of service_started dependencies. */
function waitsOf(start: Operation | undefined, byId: ReadonlyMap<string, Operation>): { waits?: StepWait[] } {
  if (start === undefined || start.kind !== 'startContainer') return {};
  const waits = new Map<string, StepWait>();
  for (const id of start.dependsOn) {
    const dep = byId.get(id);
    if (dep?.kind === 'awaitCondition') waits.set(dep.service, { service: dep.service, condition: dep.condition });
    else if ((dep?.kind === 'startContainer' || dep?.kind === 'keepContainer') && dep.service !== start.service && !waits.has(dep.service)) {
      waits.set(dep.service, { service: dep.service, condition: 'service_started' });
    }
  }
  return waits.size === 0 ? {} : { waits: [...waits.values()] };
}

/**
 * A kept or restarted container: why it is not recreated with a recreated dependency, and that a
 * pull or build of its image may still recreate it (decided once the new image's id is known).
 */
function notesOfKept(service: string, ctx: StepContext): { notes?: string[] } {
  const definition = ctx.project.services[service];
  if (definition === undefined) return {};
  const notes = effectiveDependencies(definition)
    .filter((d) => ctx.recreated.has(d.service))
    .map((d) => `dependency ${d.service} is recreated; ${service} keeps its container (add restart: true to its depends_on entry to restart it with ${d.service})`);
  const pending = ctx.pending.get(definition.image);
  if (pending === 'pull') notes.push(`its image ${definition.image} is pulled first; the container is recreated if the pull brings a different image`);
  if (pending === 'build') notes.push(`its image ${definition.image} is built first; the container is recreated only if the build gives a different image`);
  return notes.length === 0 ? {} : { notes };
}

function dependentsOf(service: string, project: Project): string[] {
  return Object.values(project.services).filter((s) => effectiveDependencies(s).some((d) => d.service === service)).map((s) => s.name);
}

function sortSteps(entries: { step: PlanStep; key: readonly [number, number, string] }[]): PlanStep[] {
  return entries
    .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || (a.key[2] < b.key[2] ? -1 : a.key[2] > b.key[2] ? 1 : 0))
    .map((e) => e.step);
}
