// Finds where a value of the merged model was written: the last file holding the path, read
// through the short syntaxes a canonical path no longer shows (`environment: ["KEY=v"]`,
// `depends_on: [db]`). Used by hints and `config --explain`, never on the load path.
import { isAlias, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { ConfigIssue } from '../errors.js';
import type { FieldPath } from './field-path.js';
import { lineAt, type Location, type SourceFile } from './source.js';

/** The YAML node at a path in one file, or undefined. A list item matches a key as `KEY`, `KEY=…` or `KEY:…`. */
export function findNode(source: SourceFile, path: FieldPath): Node | undefined {
  let node: unknown = source.doc.contents;
  for (const part of path) {
    if (isAlias(node)) node = node.resolve(source.doc);
    if (isMap(node)) {
      node = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part))?.value;
    } else if (isSeq(node)) {
      node = typeof part === 'number' ? node.items[part] : node.items.find((item) => isScalar(item) && matchesItem(String(item.value), part));
    } else {
      return undefined;
    }
    if (node === undefined || node === null) return undefined;
  }
  if (isAlias(node)) node = node.resolve(source.doc);
  return (node ?? undefined) as Node | undefined;
}

/** Where `path` is in `source` (its value, or with `key` its mapping key), when it is there. */
export function locateIn(source: SourceFile, path: FieldPath, options: { key?: boolean } = {}): Location | undefined {
  const node = findNode(source, path);
  if (node === undefined) return undefined;
  let offset = node.range?.[0];
  if (options.key === true && path.length > 0) {
    const parent = findNode(source, path.slice(0, -1));
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(path[path.length - 1]));
      if (isScalar(pair?.key)) offset = pair.key.range?.[0] ?? offset;
    }
  }
  if (offset === undefined) return undefined;
  const pos = source.lineCounter.linePos(offset);
  return { file: source.path, line: pos.line, column: pos.col };
}

export interface ValueLocator {
  /** The last file holding the path, else the nearest ancestor in any file. */
  locate(path: FieldPath, options?: { key?: boolean }): Location;
  issue(path: FieldPath, message: string, extra?: { hint?: string; key?: boolean }): ConfigIssue;
}

export function createValueLocator(sources: readonly SourceFile[]): ValueLocator {
  const texts = new Map(sources.map((s) => [s.path, s.text]));
  const locate = (path: FieldPath, options: { key?: boolean } = {}): Location => {
    for (let n = path.length; n >= 0; n--) {
      for (let i = sources.length - 1; i >= 0; i--) {
        const found = locateIn(sources[i] as SourceFile, path.slice(0, n), n === path.length ? options : {});
        if (found !== undefined) return found;
      }
    }
    return { file: sources[0]?.path ?? '-', line: 0, column: 0 };
  };
  return {
    locate,
    issue(path, message, extra = {}) {
      const where = locate(path, { key: extra.key ?? false });
      const snippet = where.line > 0 ? lineAt(texts.get(where.file) ?? '', where.line) : undefined;
      return { ...where, path, message, ...(snippet === undefined ? {} : { snippet }), ...(extra.hint === undefined ? {} : { hint: extra.hint }) };
    },
  };
}

function matchesItem(text: string, part: string | number): boolean {
  const key = String(part);
  return text === key || text.startsWith(`${key}=`) || text.startsWith(`${key}:`);
}
