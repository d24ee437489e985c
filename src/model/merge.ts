// Merges one canonical compose tree onto another (later `-f` files, `extends`), by a table of rules
// keyed by path pattern, so each field follows the spec's rule: mappings by key, command replaced,
// ports/volumes unique by key, most lists appended without duplicates; `!reset`/`!override` honoured.
import { formatPath, matchesPath, type FieldPath } from './field-path.js';
import type { MergeTag } from './source.js';
import { cloneTree, getAt, isDeepEqual, isRecord, setKey, type Tree } from './tree.js';

export interface TaggedPath {
  readonly path: FieldPath;
  readonly tag: MergeTag;
}

type Merger = (base: unknown, override: unknown, path: FieldPath, tags: TagIndex) => unknown;

interface TagIndex {
  readonly overrides: ReadonlySet<string>;
}

/**
 * `override` merged onto `base`; neither is changed and the result shares no nodes with them.
 *
 * Tags come from the override file and are in its coordinates before canonicalization. The
 * canonical stage keeps every mapping key where it was (a list that becomes a mapping, like
 * `environment`, keeps its own path), so a tag on a key path applies to the same path here.
 * A tag inside a sequence item (a path with an index) is skipped: canonicalization may split or
 * reorder items (`ports: ["8000-8001:80-81"]` becomes two), so the index no longer names the item;
 * `dropResetItems` removes `!reset` items from the raw tree before canonicalization instead.
 * `!override` replaces the node wholesale; `!reset` removes the key from the result, whatever the
 * base held (the spec's "set to the type's default").
 */
export function mergeTrees(base: Record<string, unknown>, override: Record<string, unknown>, tags: readonly TaggedPath[] = []): Record<string, unknown> {
  const keyed = tags.filter((t) => t.path.every((part) => typeof part === 'string'));
  const index: TagIndex = { overrides: new Set(keyed.filter((t) => t.tag === 'override').map((t) => formatPath(t.path))) };
  const merged = mergeMappings(cloneTree(base), override, [], index);
  for (const { path } of keyed.filter((t) => t.tag === 'reset')) removeAt(merged, path);
  return merged;
}

/** Removes sequence items tagged `!reset` from a raw (pre-canonical) tree: compose drops them. */
export function dropResetItems(tree: unknown, tags: readonly TaggedPath[]): unknown {
  const items = tags.filter((t) => t.tag === 'reset' && typeof t.path[t.path.length - 1] === 'number');
  if (items.length === 0) return tree;
  const out = cloneTree(tree);
  // Highest index first, so removing one item does not shift the others still to remove.
  const ordered = [...items].sort((a, b) => (b.path[b.path.length - 1] as number) - (a.path[a.path.length - 1] as number));
  for (const { path } of ordered) {
    const list = getAt(out, path.slice(0, -1));
    if (Array.isArray(list)) list.splice(path[path.length - 1] as number, 1);
  }
  return out;
}

function removeAt(tree: Tree, path: FieldPath): void {
  const parent = getAt(tree, path.slice(0, -1));
  const key = path[path.length - 1];
  if (isRecord(parent) && key !== undefined) delete parent[String(key)];
}

function mergeNode(base: unknown, override: unknown, path: FieldPath, tags: TagIndex): unknown {
  if (tags.overrides.has(formatPath(path))) return cloneTree(override);
  const rule = MERGE_RULES.find(([pattern]) => matchesPath(path, pattern))?.[1];
  if (rule) return rule(base, override, path, tags);
  if (override === null || override === undefined) return base;
  if (isRecord(base) && isRecord(override)) return mergeMappings(base, override, path, tags);
  if (Array.isArray(base) && Array.isArray(override)) return [...base, ...cloneTree(override)];
  return cloneTree(override);
}

/** `base` is already a private copy and is updated in place. */
function mergeMappings(base: Tree, override: Tree, path: FieldPath, tags: TagIndex): Tree {
  for (const [key, value] of Object.entries(override)) {
    const next = [...path, key];
    setKey(base, key, Object.hasOwn(base, key) ? mergeNode(base[key], value, next, tags) : cloneTree(value));
  }
  return base;
}

// ---- rules -------------------------------------------------------------------------------------

const replace: Merger = (_base, override) => cloneTree(override);

/** Adds override items not already present (deep equality), keeping the base order first. */
const appendUnique: Merger = (base, override) => {
  if (!Array.isArray(base) || !Array.isArray(override)) return override === undefined || override === null ? base : cloneTree(override);
  const out = [...base];
  for (const item of override) if (!out.some((existing) => isDeepEqual(existing, item))) out.push(cloneTree(item));
  return out;
};

/**
 * Sequences that are really mappings (the spec's "unique resources"): an override item whose key
 * is already present replaces that item in place, others are appended. Replacing rather than
 * deep-merging the item keeps a mount or port self-consistent (a bind never inherits `volume:`).
 */
const mergeByKey = (keyOf: (item: unknown) => string | undefined): Merger => (base, override) => {
  if (!Array.isArray(base) || !Array.isArray(override)) return override === undefined || override === null ? base : cloneTree(override);
  const out = [...base];
  const positions = new Map<string, number>();
  out.forEach((item, i) => {
    const key = keyOf(item);
    if (key !== undefined) positions.set(key, i);
  });
  for (const item of override) {
    const key = keyOf(item);
    const at = key === undefined ? undefined : positions.get(key);
    if (at !== undefined) out[at] = cloneTree(item);
    else {
      if (key !== undefined) positions.set(key, out.length);
      out.push(cloneTree(item));
    }
  }
  return out;
};

const byField = (field: string) => (item: unknown): string | undefined => {
  const value = isRecord(item) ? item[field] : undefined;
  return typeof value === 'string' ? value : undefined;
};

/** The spec's port key: {ip, target, published, protocol}. */
const portKey = (item: unknown): string | undefined => {
  if (!isRecord(item)) return undefined;
  return [item.host_ip ?? '', item.published ?? '', item.target ?? '', item.protocol ?? 'tcp'].map(String).join('|');
};

/** "HOST[:CONTAINER[:PERMS]]" or {source, target}: keyed by the path in the container. */
const deviceKey = (item: unknown): string | undefined => {
  if (isRecord(item)) return typeof item.target === 'string' ? item.target : typeof item.source === 'string' ? item.source : undefined;
  if (typeof item !== 'string') return undefined;
  const parts = item.split(':');
  return parts[1] ?? parts[0];
};

/** "/run:size=64m" is keyed by its mount path. */
const tmpfsKey = (item: unknown): string | undefined => (typeof item === 'string' ? item.split(':')[0] : undefined);

/** Logging options belong to a driver: they merge only when the driver is the same (or unset). */
const mergeLogging: Merger = (base, override, path, tags) => {
  if (!isRecord(base) || !isRecord(override)) return override === undefined || override === null ? base : cloneTree(override);
  const sameDriver = base.driver === undefined || override.driver === undefined || base.driver === override.driver;
  return sameDriver ? mergeMappings(base, override, path, tags) : cloneTree(override);
};

const APPEND_UNIQUE = [
  'expose', 'dns', 'dns_search', 'dns_opt', 'cap_add', 'cap_drop', 'extra_hosts', 'profiles', 'group_add',
  'security_opt', 'links', 'external_links', 'volumes_from', 'device_cgroup_rules', 'label_file',
  'build.extra_hosts', 'build.tags', 'build.cache_from', 'build.cache_to', 'build.platforms', 'networks.*.aliases',
].map((field) => [`services.*.${field}`, appendUnique] as const);

/** The first matching pattern wins; unmatched paths use the default (mapping by key, list append). */
const MERGE_RULES: readonly (readonly [string, Merger])[] = [
  ['services.*.command', replace],
  ['services.*.entrypoint', replace],
  ['services.*.healthcheck.test', replace],
  ['services.*.ports', mergeByKey(portKey)],
  ['services.*.volumes', mergeByKey(byField('target'))],
  ['services.*.secrets', mergeByKey(byField('target'))],
  ['services.*.configs', mergeByKey(byField('target'))],
  ['services.*.build.secrets', mergeByKey(byField('target'))],
  ['services.*.devices', mergeByKey(deviceKey)],
  ['services.*.tmpfs', mergeByKey(tmpfsKey)],
  ['services.*.env_file', mergeByKey(byField('path'))],
  ['services.*.logging', mergeLogging],
  ['networks.*.ipam.config', mergeByKey(byField('subnet'))],
  ...APPEND_UNIQUE,
];
