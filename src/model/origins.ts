// After files are merged, a value's location is the last file that wrote it; this finds it.
import type { ConfigIssue } from '../errors.js';
import type { FieldPath } from './field-path.js';
import { issueAt, nodeAt, type SourceFile } from './source.js';

export interface ModelLocator {
  /** A located issue for a path of the merged model. */
  issue(path: FieldPath, message: string, extra?: { hint?: string; key?: boolean }): ConfigIssue;
}

export function createModelLocator(sources: readonly SourceFile[]): ModelLocator {
  return {
    issue(path, message, extra = {}) {
      return issueAt(findSource(sources, path), path, message, extra);
    },
  };
}

/** The last source holding the full path, else the one holding the longest prefix of it. */
function findSource(sources: readonly SourceFile[], path: FieldPath): SourceFile {
  let best: { source: SourceFile; depth: number } | undefined;
  for (let i = sources.length - 1; i >= 0; i--) {
    const source = sources[i] as SourceFile;
    for (let n = path.length; n > (best?.depth ?? 0); n--) {
      if (nodeAt(source, path.slice(0, n))?.node !== undefined) {
        if (n === path.length) return source;
        best = { source, depth: n };
        break;
      }
    }
  }
  return best?.source ?? (sources[sources.length - 1] as SourceFile);
}
