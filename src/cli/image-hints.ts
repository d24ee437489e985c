// The bind-mount hint for `up` and `plan`: reads the history of the images behind bind mounts
// (present ones only; never pulls) beside the engine's other first reads, then prints like the
// file's own hints. Without bind mounts, or with hints off, it asks the engine nothing.
import type { Engine, ImageHistory } from '../engine/engine.js';
import { findHiddenImagePaths, imagesBehindBindMounts } from '../model/hints-image.js';
import { hintsEnabled, type Hint } from '../model/hints.js';
import type { LoadResult } from '../model/load.js';
import { formatHints } from './hints.js';
import { useColor, type GlobalOptions } from './options.js';

/** Starts the reads at once (so they overlap `observe`); never rejects: a hint must not fail a command. */
export function readImageHints(global: GlobalOptions, loaded: LoadResult, engine: Engine, signal: AbortSignal): Promise<Hint[]> {
  if (!hintsEnabled(process.env, global.quietHints)) return Promise.resolve([]);
  const images = imagesBehindBindMounts(loaded.project);
  if (images.length === 0) return Promise.resolve([]);
  const read = Promise.all(images.map(async (image) => [image, await engine.imageHistory(image, { signal })] as const));
  return read.then(
    (found) => findHiddenImagePaths(loaded.project, loaded.sources, new Map(found.filter((e): e is readonly [string, ImageHistory] => e[1] !== undefined))),
    () => [],
  );
}

export function printImageHints(global: GlobalOptions, hints: readonly Hint[]): void {
  if (hints.length > 0) process.stderr.write(formatHints(hints, { color: useColor(global), cwd: process.cwd() }));
}
