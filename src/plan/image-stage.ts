// `up` pulls and builds first, then converges (as compose does): a new image's id is only known
// once it is there, and whether a container is recreated depends on it. The pulls and builds of
// a plan therefore run as a stage of their own before the rest is planned again.
import type { Plan } from './operations.js';

const IMAGE_KINDS: ReadonlySet<string> = new Set(['pullImage', 'buildImage']);

/** The plan's pulls and builds alone (they wait for nothing else), or undefined when it has none. */
export function imageStage(plan: Plan): Plan | undefined {
  const operations = plan.operations.filter((op) => IMAGE_KINDS.has(op.kind));
  if (operations.length === 0) return undefined;
  const ids = new Set(operations.map((op) => op.id));
  return { operations: operations.map((op) => ({ ...op, dependsOn: op.dependsOn.filter((id) => ids.has(id)) })), warnings: [] };
}

/** The images a plan pulls or builds: their containers' fate is only known after the stage. */
export function pendingImages(plan: Plan): Map<string, 'pull' | 'build'> {
  const pending = new Map<string, 'pull' | 'build'>();
  for (const op of plan.operations) {
    if (op.kind === 'pullImage') pending.set(op.image, 'pull');
    else if (op.kind === 'buildImage') pending.set(op.image, 'build');
  }
  return pending;
}
