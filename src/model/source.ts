// A compose file as read from disk: its text, its YAML document and line index, and the plain tree.
// Everything that later needs a line and column asks this module.
import { isUtf8 } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { ConfigError, type ConfigIssue } from '../errors.js';
import type { FieldPath } from './field-path.js';
import { describeYamlError } from './yaml-errors.js';
import { parseCommonYaml } from './yaml-fast-path.js';

/** Compose merge directives attached to a node with a YAML tag. */
export type MergeTag = 'reset' | 'override';

export interface SourceFile {
  /** Absolute path, or '-' for standard input. */
  readonly path: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** The plain JavaScript tree (aliases and `<<` merge keys expanded). */
  readonly tree: unknown;
  /** Nodes tagged `!reset` or `!override`, by path. */
  readonly tags: readonly { readonly path: FieldPath; readonly tag: MergeTag }[];
}

export interface Location {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Files larger than this are refused before parsing: no real compose file comes close. */
export const MAX_SOURCE_BYTES = 8 * 1024 * 1024;
/** Bounds alias expansion ("billion laughs"): yaml counts each alias's expanded size against this. */
const MAX_ALIAS_COUNT = 1000;

/** Reads and parses a file; a missing, unreadable or binary file is a ConfigError naming it. */
export function readSource(path: string): SourceFile {
  let text: string;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw fileError(path, `${path} is a directory, not a compose file`, 'give the path of a compose.yaml file inside it');
    if (stat.size > MAX_SOURCE_BYTES) throw fileError(path, `${path} is ${stat.size} bytes; compose files larger than ${MAX_SOURCE_BYTES} bytes are refused`);
    const bytes = readFileSync(path);
    text = bytes.toString('utf8');
    if (!isUtf8(bytes) && !text.includes('\u0000')) throw textError(path, text, text.indexOf('\uFFFD'), 'not valid UTF-8 text', 'save the file as UTF-8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String((error as Error).message);
    throw fileError(path, `cannot read ${path}: ${why}`);
  }
  return parseSource(path, text);
}

/** Parses compose YAML text. Syntax errors, duplicate keys and tabs become located issues. */
export function parseSource(path: string, rawText: string): SourceFile {
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  if (text.length > MAX_SOURCE_BYTES) throw fileError(path, `${path} is larger than ${MAX_SOURCE_BYTES} bytes; refused`);
  if (text.includes('\u0000')) throw textError(path, text, text.indexOf('\u0000'), 'not a text file: it contains a NUL byte', 'is this the compose file you meant?');
  const common = parseCommonYaml(text);
  if (common !== undefined) return withLazyDocument(path, text, common.value ?? {});
  const { doc, lineCounter } = parseFull(text);
  const issues: ConfigIssue[] = doc.errors.map((e) => {
    const site = describeYamlError(text, e);
    const pos = lineCounter.linePos(site.offset);
    return { file: path, line: pos.line, column: pos.col, path: [], message: site.message, snippet: lineAt(text, pos.line), ...(site.hint ? { hint: site.hint } : {}) };
  });
  issues.push(...findRecursiveAliases(doc).map((offset) => {
    const pos = lineCounter.linePos(offset);
    const message = 'this alias refers to a node that contains it: the value would never end';
    return { file: path, line: pos.line, column: pos.col, path: [], message, snippet: lineAt(text, pos.line), hint: 'point the alias at an anchor defined outside this value' };
  }));
  issues.push(...findCollectionKeys(doc).map((offset) => {
    const pos = lineCounter.linePos(offset);
    const message = 'a mapping key must be a plain value, not a list or a mapping';
    return { file: path, line: pos.line, column: pos.col, path: [], message, snippet: lineAt(text, pos.line), hint: 'write the key as a string (a "? " line starts a complex key)' };
  }));
  if (issues.length > 0) throw new ConfigError(issues);
  const tags = collectTags(doc);
  let tree: unknown;
  try {
    tree = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new ConfigError([{ file: path, line: 1, column: 1, path: [], message: `${(error as Error).message}`, hint: 'the file expands YAML aliases excessively (an "alias bomb"); write the values out or use fewer nested aliases' }]);
  }
  return { path, text, doc, lineCounter, tree: tree ?? {}, tags };
}

function parseFull(text: string): { doc: Document.Parsed; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, merge: true, prettyErrors: false, strict: false });
  return { doc, lineCounter };
}

/**
 * A file the fast path read (yaml-fast-path.ts): `yaml`'s document, with the positions errors,
 * hints and `--explain` need, is built the first time one of them asks. The fast path only accepts
 * text `yaml` reads without error, without tags and without aliases, hence no tags here.
 */
function withLazyDocument(path: string, text: string, tree: unknown): SourceFile {
  let full: { doc: Document.Parsed; lineCounter: LineCounter } | undefined;
  return {
    path, text, tree, tags: [],
    get doc() { return (full ??= parseFull(text)).doc; },
    get lineCounter() { return (full ??= parseFull(text)).lineCounter; },
  };
}

/** The node at a path (following aliases), or undefined. */
export function nodeAt(source: SourceFile, path: FieldPath): { node: Node | undefined; key: Node | undefined } | undefined {
  let node: unknown = source.doc.contents;
  let key: Node | undefined;
  for (const part of path) {
    if (isAlias(node)) node = node.resolve(source.doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
      if (!pair) return undefined;
      key = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part];
      key = undefined;
      if (node === undefined) return undefined;
    } else if (isSeq(node)) {
      // A canonical map key that was a list item in the file (depends_on: [db], volumes: ["data:/x"]).
      const item = node.items.find((i) => isScalar(i) && (String(i.value) === part || String(i.value).startsWith(`${part}:`)));
      if (!item) return undefined;
      node = item;
      key = undefined;
    } else {
      return undefined;
    }
  }
  if (isAlias(node)) node = node.resolve(source.doc);
  return { node: (node ?? undefined) as Node | undefined, key };
}

/**
 * Where a path is in a file. With `key`, the position of the mapping key (for "unknown key"
 * messages); otherwise the value. Falls back to the nearest ancestor that exists.
 */
export function locate(source: SourceFile, path: FieldPath, options: { key?: boolean } = {}): Location {
  for (let n = path.length; n >= 0; n--) {
    const found = nodeAt(source, path.slice(0, n));
    if (!found) continue;
    const target = options.key && n === path.length && found.key ? found.key : (found.node ?? found.key);
    const offset = target?.range?.[0];
    if (offset === undefined) continue;
    const pos = source.lineCounter.linePos(offset);
    return { file: source.path, line: pos.line, column: pos.col };
  }
  return { file: source.path, line: 1, column: 1 };
}

/** A ConfigIssue located in a source, with the line's text as snippet. */
export function issueAt(source: SourceFile, path: FieldPath, message: string, extra: { hint?: string; key?: boolean } = {}): ConfigIssue {
  const loc = locate(source, path, { key: extra.key ?? false });
  return { ...loc, path, message, snippet: lineAt(source.text, loc.line), ...(extra.hint ? { hint: extra.hint } : {}) };
}

export function lineAt(text: string, line: number): string {
  let start = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return '';
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? undefined : end).replace(/\r$/, '');
}

/**
 * Offsets of mapping keys that are collections (`? [a, b]: x`, or an alias of one): JavaScript
 * objects cannot hold them, and yaml would only warn and stringify them. Iterative, so a deeply
 * nested file cannot overflow the stack here.
 */
function findCollectionKeys(doc: Document.Parsed): number[] {
  const offsets: number[] = [];
  const pending: unknown[] = [doc.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
        if (isMap(key) || isSeq(key)) offsets.push((pair.key as Node).range?.[0] ?? 0);
        pending.push(pair.value);
      }
    } else if (isSeq(node)) {
      pending.push(...node.items);
    }
  }
  return offsets.sort((a, b) => a - b);
}

/**
 * Offsets of aliases inside the very node their anchor names (`&a [*a]`). yaml turns them into
 * circular values, which every later stage would walk without end. Iterative, like the above.
 */
function findRecursiveAliases(doc: Document.Parsed): number[] {
  const offsets: number[] = [];
  const pending: unknown[] = [doc.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isAlias(node)) {
      const target = node.resolve(doc);
      const at = node.range?.[0];
      const [start, end] = [target?.range?.[0], target?.range?.[1]];
      if (at !== undefined && start !== undefined && end !== undefined && at >= start && at < end) offsets.push(at);
    } else if (isMap(node)) {
      for (const pair of node.items) pending.push(pair.key, pair.value);
    } else if (isSeq(node)) {
      pending.push(...node.items);
    }
  }
  return offsets.sort((a, b) => a - b);
}

function collectTags(doc: Document.Parsed): { path: FieldPath; tag: MergeTag }[] {
  const found: { path: FieldPath; tag: MergeTag }[] = [];
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        walk(pair.value, [...path, String(pair.key.value)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    }
    const tag = (node as { tag?: string } | null)?.tag;
    if (tag === '!reset' || tag === '!override') found.push({ path, tag: tag.slice(1) as MergeTag });
  };
  walk(doc.contents, []);
  return found;
}

/** A file that is not text, located at its first offending character. */
function textError(path: string, text: string, offset: number, message: string, hint: string): ConfigError {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  const snippet = lineAt(text, line);
  return new ConfigError([{ file: path, line, column, path: [], message, hint, ...(snippet.includes('\u0000') ? {} : { snippet }) }]);
}

function fileError(path: string, message: string, hint?: string): ConfigError {
  return new ConfigError([{ file: path, line: 0, column: 0, path: [], message, ...(hint ? { hint } : {}) }]);
}
