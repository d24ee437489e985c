// `up`'s first stage, as compose runs it: pull and build, read the image ids again, and only then
// plan the containers against them, so a container whose image changed is recreated and one whose
// rebuilt image came out the same is kept.
import type { EventSink } from '../events/events.js';
import type { Engine } from '../engine/engine.js';
import type { SettledOutcome } from '../engine/execute.js';
import type { Project } from '../model/types.js';
import type { ImageIds } from '../plan/image-change.js';
import { imageStage, pendingImages } from '../plan/image-stage.js';
import type { Plan } from '../plan/operations.js';

/** Reference → image id for each reference present on the engine, asked in parallel. */
export async function inspectImages(engine: Engine, images: Iterable<string>, signal: AbortSignal): Promise<Map<string, string>> {
  const found = await Promise.all([...new Set(images)].map(async (image) => [image, (await engine.inspectImage(image, { signal }))?.id] as const));
  return new Map(found.filter((entry): entry is readonly [string, string] => entry[1] !== undefined));
}

export interface ImageStageInput {
  readonly engine: Engine;
  readonly project: Project;
  /** The plan made from the ids read before the stage. */
  readonly plan: Plan;
  readonly imageIds: ImageIds;
  /** Plans again with the ids read after the stage (the same pulls and builds, new image ids). */
  readonly replan: (imageIds: ImageIds) => Plan;
  readonly sink: EventSink;
  readonly signal: AbortSignal;
}

export interface ConvergePlan {
  readonly plan: Plan;
  /** The stage's outcomes, for the executor: its operations do not run twice. */
  readonly settled: ReadonlyMap<string, SettledOutcome>;
}

/** Runs the plan's pulls and builds (when it has any), then returns the plan to converge with. */
export async function runImageStage(input: ImageStageInput): Promise<ConvergePlan> {
  const stage = imageStage(input.plan);
  if (stage === undefined) return { plan: input.plan, settled: new Map() };
  const { executePlan, ExecutionError } = await import('../engine/execute.js');
  const settled = new Map<string, SettledOutcome>(stage.operations.map((op) => [op.id, {}]));
  try {
    await executePlan(stage, { engine: input.engine, project: input.project, sink: input.sink, signal: input.signal });
  } catch (error) {
    // A failed pull or build fails only the services that need its image, in the second run.
    if (!(error instanceof ExecutionError)) throw error;
    for (const failure of error.failures) {
      settled.set(failure.operation.id, { error: failure.error });
      for (const id of failure.skipped) settled.delete(id);
    }
  }
  const pending = [...pendingImages(stage).keys()];
  const fresh = await inspectImages(input.engine, pending, input.signal);
  const imageIds = new Map([...input.imageIds].filter(([image]) => !pending.includes(image)));
  for (const [image, id] of fresh) imageIds.set(image, id);
  return { plan: input.replan(imageIds), settled };
}
