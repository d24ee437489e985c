// The plan as data: operations in a DAG, each naming its resource, why it happens and what it
// waits for. The executor runs it, views show it, tests compare it as text (formatPlan).
import type { ContainerState } from '../engine/engine.js';
import type { Condition } from '../model/types.js';
import type { ObservedContainer } from './observed.js';

export type OperationKind =
  | 'createNetwork'
  | 'createVolume'
  | 'checkExternal'
  | 'pullImage'
  | 'buildImage'
  | 'createContainer'
  | 'startContainer'
  | 'awaitCondition'
  | 'keepContainer'
  | 'stopContainer'
  | 'removeContainer'
  | 'removeNetwork'
  | 'removeVolume'
  | 'removeImage';

interface OperationBase<K extends OperationKind> {
  /** Unique in the plan: `<kind> <resource>` (plus the condition for awaitCondition). */
  readonly id: string;
  readonly kind: K;
  /** The resource it acts on, as event ids name it: 'container:demo-web-1', 'network:demo_default'. */
  readonly resource: string;
  /** Why, for people: 'not found', 'config changed', 'orphan', 'running', … */
  readonly cause: string;
  /** Ids of the operations that must succeed first. */
  readonly dependsOn: readonly string[];
}

export type Operation =
  | (OperationBase<'createNetwork'> & { readonly network: string; readonly name: string })
  | (OperationBase<'createVolume'> & { readonly volume: string; readonly name: string })
  /** An `external: true` network or volume: never created, but it must exist before containers use it. */
  | (OperationBase<'checkExternal'> & { readonly target: 'network' | 'volume'; readonly name: string })
  | (OperationBase<'pullImage'> & { readonly image: string })
  /** Builds a service's image from its `build:` section; resource 'service:<name>'. */
  | (OperationBase<'buildImage'> & { readonly service: string; readonly image: string; readonly overrides?: BuildOverrides })
  | (OperationBase<'createContainer'> & {
      readonly service: string;
      readonly number: number;
      readonly name: string;
      readonly configHash: string;
      /** The image id it is created from, when known at plan time (compose's com.docker.compose.image label). */
      readonly imageId?: string;
      /** Id of the container this one replaces (recreate), for the 'Recreated' wording. */
      readonly replaces?: string;
      /**
       * target → anonymous volume of the replaced container, mounted again at the same target so
       * its data survives the recreate (as compose does, unless -V). Targets the service no longer
       * mounts are kept only where the image declares a VOLUME.
       */
      readonly inheritVolumes?: Readonly<Record<string, string>>;
      /** Network name → id of the existing network to join, so a leftover duplicate name is never ambiguous. */
      readonly networkIds?: Readonly<Record<string, string>>;
    })
  | (OperationBase<'startContainer' | 'keepContainer'> & { readonly service: string; readonly name: string })
  | (OperationBase<'awaitCondition'> & {
      readonly service: string;
      readonly condition: Condition;
      /** Names of the service's containers that must all meet the condition. */
      readonly containers: readonly string[];
      /** `required: false`: a failure only warns and dependents still start. */
      readonly required: boolean;
    })
  | (OperationBase<'stopContainer'> & { readonly service: string; readonly name: string; readonly containerId: string; readonly timeoutSeconds?: number })
  | (OperationBase<'removeContainer'> & { readonly service: string; readonly name: string; readonly containerId: string; readonly removeVolumes: boolean })
  /** `duplicateOf`: the id of the same-named network `up` keeps; this copy must go for containers to start. */
  | (OperationBase<'removeNetwork'> & { readonly name: string; readonly networkId: string; readonly duplicateOf?: string })
  /** `anonymous`: a container's anonymous volume (down -v); one still in use elsewhere is kept with a warning. */
  | (OperationBase<'removeVolume'> & { readonly name: string; readonly anonymous?: boolean })
  | (OperationBase<'removeImage'> & { readonly image: string });

/** What build flags change for one run (`gantry build --no-cache --pull --build-arg K=V`). */
export interface BuildOverrides {
  readonly noCache?: boolean;
  readonly pull?: boolean;
  /** Added to (and replacing) the service's `build.args`. */
  readonly buildArgs?: Readonly<Record<string, string>>;
}

export interface Plan {
  readonly operations: readonly Operation[];
  /** Things the user should know that are not operations (orphans left in place). */
  readonly warnings: readonly string[];
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An operation before its id and edges are known. */
export type OperationDraft = DistributiveOmit<Operation, 'id' | 'dependsOn'> & { readonly qualifier?: string };

export interface PlanBuilder {
  /** Adds an operation (or returns the existing one's id) and returns its id. */
  add(draft: OperationDraft): string;
  /** `id` runs only after every one of `dependencies` succeeded. */
  after(id: string, dependencies: Iterable<string>): void;
  has(id: string): boolean;
  get(id: string): Operation | undefined;
  warn(message: string): void;
  build(): Plan;
}

export interface RemovalOptions {
  readonly cause: string;
  readonly removeVolumes: boolean;
  readonly timeoutSeconds?: number;
}

/** Stop (when it runs) then remove an existing container; returns both ids. */
export function addRemoval(builder: PlanBuilder, container: ObservedContainer, options: RemovalOptions): { stopId?: string; removeId: string } {
  const resource = `container:${container.name}`;
  const common = { resource, cause: options.cause, service: container.service, name: container.name, containerId: container.id };
  const stopId = isActive(container.state)
    ? builder.add({ kind: 'stopContainer', ...common, ...(options.timeoutSeconds === undefined ? {} : { timeoutSeconds: options.timeoutSeconds }) })
    : undefined;
  const removeId = builder.add({ kind: 'removeContainer', ...common, removeVolumes: options.removeVolumes });
  if (stopId !== undefined) builder.after(removeId, [stopId]);
  return stopId === undefined ? { removeId } : { stopId, removeId };
}

/** States in which a container must be stopped before it can be removed. */
export function isActive(state: ContainerState): boolean {
  return state === 'running' || state === 'restarting' || state === 'paused';
}

export function operationId(kind: OperationKind, resource: string, qualifier?: string): string {
  return qualifier === undefined ? `${kind} ${resource}` : `${kind} ${resource} ${qualifier}`;
}

/** Collects operations and edges while planning; build() freezes them with sorted edges. */
export function createPlanBuilder(): PlanBuilder {
  const operations = new Map<string, Operation>();
  const edges = new Map<string, Set<string>>();
  const warnings: string[] = [];
  return {
    add(draft) {
      const { qualifier, ...rest } = draft;
      const id = operationId(draft.kind, draft.resource, qualifier);
      if (!operations.has(id)) {
        operations.set(id, { ...rest, id, dependsOn: [] } as Operation);
        edges.set(id, new Set());
      }
      return id;
    },
    after(id, dependencies) {
      const set = edges.get(id);
      if (set === undefined) throw new Error(`internal: no operation ${id}`);
      for (const dependency of dependencies) if (dependency !== id) set.add(dependency);
    },
    has: (id) => operations.has(id),
    get: (id) => operations.get(id),
    warn: (message) => void warnings.push(message),
    build: () => ({
      operations: [...operations.values()].map((op) => ({ ...op, dependsOn: [...(edges.get(op.id) ?? [])].sort() })),
      warnings: [...warnings],
    }),
  };
}

/**
 * Deterministic text: operations by depth in the DAG (what can run first comes first), then by
 * id; each with its cause and the operations it waits for. Used by tests and `--dry-run`.
 */
export function formatPlan(plan: Plan): string {
  const depths = computeDepths(plan);
  const ordered = [...plan.operations].sort((a, b) => (depths.get(a.id) ?? 0) - (depths.get(b.id) ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const lines: string[] = [];
  for (const op of ordered) {
    lines.push(`${op.id} (${op.cause})`);
    if (op.dependsOn.length > 0) lines.push(`  after: ${[...op.dependsOn].sort().join(', ')}`);
  }
  for (const message of plan.warnings) lines.push(`warning: ${message}`);
  return lines.join('\n');
}

/** Longest path from a root, so formatPlan reads as a schedule; a cycle cannot loop forever. */
export function computeDepths(plan: Plan): Map<string, number> {
  const byId = new Map(plan.operations.map((op) => [op.id, op]));
  const depths = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depths.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const deps = byId.get(id)?.dependsOn ?? [];
    const depth = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(depthOf));
    visiting.delete(id);
    depths.set(id, depth);
    return depth;
  };
  for (const op of plan.operations) depthOf(op.id);
  return depths;
}
