// Reads a project's current state from the engine: one labelled list call per resource kind,
// in parallel, so planning starts from a single consistent-enough snapshot at the cost of 3 calls.
import { createObservedState, type ObservedState } from '../plan/observed.js';
import { projectFilter } from '../plan/labels.js';
import type { CallOptions, Engine } from './engine.js';

export type ObserveOptions = CallOptions;

export async function observe(engine: Engine, projectName: string, options: ObserveOptions = {}): Promise<ObservedState> {
  const filter = projectFilter(projectName);
  const call = options.signal === undefined ? {} : { signal: options.signal };
  const [containers, networks, volumes] = await Promise.all([
    // all: true, because stopped containers still block names and count as replicas.
    engine.listContainers(filter, { ...call, all: true }),
    engine.listNetworks(filter, call),
    engine.listVolumes(filter, call),
  ]);
  return createObservedState({ containers, networks, volumes });
}
