// Origin tracking for `config --explain`, off the load path: a service's (or a top-level
// network's, volume's, secret's, config's) definition is replayed layer by layer (extended bases,
// then each -f file, or the included file), merging with the real merge rules; each value is owned
// by the last layer that set or changed it.
import { dirname, isAbsolute, resolve } from 'node:path';
import { canonicalizeTree } from './canonical.js';
import { createInterpolationEnv, defaultEnvFiles, type InterpolationEnv } from './environment.js';
import type { FieldPath } from './field-path.js';
import { interpolateTree } from './interpolate.js';
import { dropResetItems, mergeTrees, type TaggedPath } from './merge.js';
import { readSource, type Location, type SourceFile } from './source.js';
import { asList, asRecord, isDeepEqual, isRecord, type Tree } from './tree.js';
import { locateIn } from './value-locator.js';

export type LayerVia =
  | { readonly kind: 'file' }
  | { readonly kind: 'override' }
  | { readonly kind: 'extends'; readonly service: string }
  | { readonly kind: 'include'; readonly from: string };

/** The top-level mappings whose entries are explained one by one. */
export type Section = 'services' | 'networks' | 'volumes' | 'secrets' | 'configs';

/** One definition of a service (or top-level resource) that the merge folds in. */
export interface Layer {
  readonly source: SourceFile;
  readonly section: Section;
  /** The entry's name in that file (a service's extended base may be called otherwise). */
  readonly entry: string;
  /** Its canonical definition, a service's `extends` removed. */
  readonly tree: Tree;
  readonly via: LayerVia;
  readonly env: InterpolationEnv;
}

/** Where the files of one model are read: the project's, or an included one's. */
export interface LayerScope {
  readonly files: readonly string[];
  readonly workingDir: string;
  readonly homeDir: string;
  readonly env: InterpolationEnv;
  /** Parsed files by path (from the load), so nothing is read twice and `-` still works. */
  readonly sources: ReadonlyMap<string, SourceFile>;
  readonly via?: LayerVia;
}

export interface Origin {
  readonly layer: Layer;
  readonly location: Location;
  /** The value's node carries `!override`. */
  readonly override: boolean;
}

export interface Row {
  /** Relative to the entry: ['ports', 0], ['environment', 'VALUE'], ['driver_opts', 'mtu']. */
  readonly path: FieldPath;
  readonly value: unknown;
}

export interface ReplayResult {
  readonly origins: ReadonlyMap<string, Origin>;
  /** Keys a `!reset` removed, with where. */
  readonly resets: readonly { readonly path: FieldPath; readonly location: Location }[];
  readonly layers: readonly Layer[];
  /** The entry as the layers merge it (before normalisation folds env_file in, or names it). */
  readonly merged: Tree;
}

/** The layers of entry `name` of `section` (a service by default), in merge order. */
export function collectLayers(scope: LayerScope, name: string, section: Section = 'services'): Layer[] {
  const layers: Layer[] = [];
  scope.files.forEach((file, i) => {
    const source = sourceOf(scope, file);
    const tree = canonicalTree(source, scope.workingDir, scope);
    const entry = asRecord(tree[section])[name];
    if (!isRecord(entry)) return;
    const via = scope.via ?? (i === 0 ? { kind: 'file' as const } : { kind: 'override' as const });
    // Only services have `extends`.
    if (section === 'services') layers.push(...chainOf({ source, tree, name, via, scope, depth: 0 }));
    else layers.push({ source, section, entry: name, tree: entry, via, env: scope.env });
  });
  if (layers.length > 0) return layers;
  for (const file of scope.files) {
    for (const nested of includedScopes(scope, file)) {
      const found = collectLayers(nested, name, section);
      if (found.length > 0) return found;
    }
  }
  return layers;
}

/** Merges the layers in order, keeping for each row the layer that last set or changed it. */
export function replayLayers(layers: readonly Layer[], name: string): ReplayResult {
  const origins = new Map<string, Origin>();
  const resets: { path: FieldPath; location: Location }[] = [];
  let merged: Tree = {};
  for (const layer of layers) {
    const { section } = layer;
    const tags = tagsOf(layer, name);
    const next = asRecord(asRecord(mergeTrees({ [section]: { [name]: merged } }, { [section]: { [name]: layer.tree } }, tags)[section])[name]);
    const before = rowsOf(merged);
    const own = rowsOf(layer.tree);
    const after = rowsOf(next);
    for (const [key, row] of after) {
      const old = before.get(key);
      if (old !== undefined && isDeepEqual(old.value, row.value) && !own.has(key)) continue;
      const override = tags.some((t) => t.tag === 'override' && isPrefix(t.path.slice(2), row.path));
      origins.set(key, { layer, location: locateRow(layer, row.path), override });
    }
    for (const key of [...origins.keys()]) if (!after.has(key)) origins.delete(key);
    for (const tag of tags) if (tag.tag === 'reset') resets.push({ path: tag.path.slice(2), location: locateRow(layer, tag.path.slice(2)) });
    merged = next;
  }
  return { origins, resets, layers, merged };
}

/** A tree as rows: scalars, lists of scalars and empty mappings whole; lists of mappings by item. */
export function rowsOf(tree: unknown): Map<string, Row> {
  const out = new Map<string, Row>();
  const visit = (value: unknown, path: (string | number)[]): void => {
    if (isRecord(value) && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value)) visit(child, [...path, key]);
    } else if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) {
      value.forEach((item, i) => out.set(rowKey([...path, i]), { path: [...path, i], value: item }));
    } else {
      out.set(rowKey(path), { path, value });
    }
  };
  visit(tree, []);
  return out;
}

export function rowKey(path: FieldPath): string {
  return path.map(String).join('\u0000');
}

function chainOf(args: { source: SourceFile; tree: Tree; name: string; via: LayerVia; scope: LayerScope; depth: number }): Layer[] {
  const { source, tree, name, via, scope } = args;
  const raw = asRecord(asRecord(tree.services)[name]);
  const { extends: ext, ...own } = raw;
  const self: Layer = { source, section: 'services', entry: name, tree: own, via, env: scope.env };
  if (!isRecord(ext) || typeof ext.service !== 'string' || args.depth > 32) return [self];
  const file = typeof ext.file === 'string' ? ext.file : undefined;
  const baseSource = file === undefined ? source : sourceOf(scope, file);
  const baseTree = file === undefined ? tree : canonicalTree(baseSource, dirname(file), scope);
  const base = chainOf({ source: baseSource, tree: baseTree, name: ext.service, via: { kind: 'extends', service: ext.service }, scope, depth: args.depth + 1 });
  return [...base, self];
}

/**
 * Per scope, each file's nested scopes: the same objects for every entry explained, so their env
 * files are read and their files canonicalised once (canonicalCache is keyed by scope).
 */
const includedCache = new WeakMap<LayerScope, Map<string, LayerScope[]>>();

/** The nested scopes of a file's `include:` entries (paths against the scope's directory). */
function includedScopes(scope: LayerScope, file: string): LayerScope[] {
  const cache = includedCache.get(scope) ?? new Map<string, LayerScope[]>();
  includedCache.set(scope, cache);
  const hit = cache.get(file);
  if (hit !== undefined) return hit;
  const scopes = readIncludedScopes(scope, file);
  cache.set(file, scopes);
  return scopes;
}

function readIncludedScopes(scope: LayerScope, file: string): LayerScope[] {
  const source = sourceOf(scope, file);
  const include = asRecord(source.tree).include;
  return asList(include).flatMap((raw): LayerScope[] => {
    const entry = isRecord(raw) ? raw : { path: raw };
    const paths = (Array.isArray(entry.path) ? entry.path : [entry.path]).filter((p): p is string => typeof p === 'string' && p !== '').map((p) => absolute(p, scope.workingDir));
    if (paths.length === 0) return [];
    const workingDir = typeof entry.project_directory === 'string' ? absolute(entry.project_directory, scope.workingDir) : dirname(paths[0] as string);
    const envFiles = asList(entry.env_file).concat(typeof entry.env_file === 'string' ? [entry.env_file] : []).filter((p): p is string => typeof p === 'string').map((p) => absolute(p, scope.workingDir));
    const nested = createInterpolationEnv({ shellEnv: {}, envFiles: envFiles.length > 0 ? envFiles : defaultEnvFiles(workingDir) });
    const env: InterpolationEnv = {
      lookup: (n) => scope.env.lookup(n) ?? nested.lookup(n),
      sourceOf: (n) => scope.env.sourceOf(n) ?? nested.sourceOf(n),
    };
    return [{ ...scope, files: paths, workingDir, env, via: { kind: 'include', from: source.path } }];
  });
}

/** Per scope, each file's canonical tree by path and directory: every entry explained reuses them. */
const canonicalCache = new WeakMap<LayerScope, Map<string, Tree>>();

function canonicalTree(source: SourceFile, workingDir: string, scope: LayerScope): Tree {
  const cache = canonicalCache.get(scope) ?? new Map<string, Tree>();
  canonicalCache.set(scope, cache);
  const key = `${source.path}\u0000${workingDir}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const tree = canonicalTreeOf(source, workingDir, scope);
  cache.set(key, tree);
  return tree;
}

function canonicalTreeOf(source: SourceFile, workingDir: string, scope: LayerScope): Tree {
  const interpolated = interpolateTree(source, dropResetItems(source.tree, source.tags), scope.env.lookup);
  return canonicalizeTree(asRecord(interpolated.tree), { source, workingDir, homeDir: scope.homeDir }).tree;
}

function sourceOf(scope: LayerScope, path: string): SourceFile {
  return scope.sources.get(path) ?? readSource(path);
}

/** The layer's tags on its entry, renamed to the entry being explained. */
function tagsOf(layer: Layer, name: string): TaggedPath[] {
  return layer.source.tags
    .filter((t) => t.path[0] === layer.section && t.path[1] === layer.entry)
    .map((t) => ({ tag: t.tag, path: [layer.section, name, ...t.path.slice(2)] }));
}

/** Where the row's key is written in the layer's file, or its nearest ancestor's ([] for the entry's own key). */
export function locateRow(layer: Layer, path: FieldPath): Location {
  for (let n = path.length; n >= 0; n--) {
    const found = locateIn(layer.source, [layer.section, layer.entry, ...path.slice(0, n)], { key: true });
    if (found !== undefined) return found;
  }
  return { file: layer.source.path, line: 0, column: 0 };
}

function isPrefix(prefix: FieldPath, path: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((part, i) => String(part) === String(path[i]));
}

function absolute(path: string, base: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}
