// Small guards and helpers for the untyped compose trees (`unknown` narrowed here, never cast ad hoc).
import type { FieldPath } from './field-path.js';

export type Tree = Record<string, unknown>;

/** A YAML mapping: a plain object, not null, not an array. */
export function isRecord(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as a mapping, or an empty one (for reading optional sections). */
export function asRecord(value: unknown): Tree {
  return isRecord(value) ? value : {};
}

export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Sets a key taken from user data. Plain assignment of "__proto__" would change the object's
 * prototype instead of storing data, so that one key is defined as an own property.
 */
export function setKey(target: Tree, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** A deep copy of a plain JSON-like tree; the stages return new trees and never share nodes. */
export function cloneTree<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => cloneTree(v)) as T;
  if (isRecord(value)) {
    const out: Tree = {};
    for (const [k, v] of Object.entries(value)) setKey(out, k, cloneTree(v));
    return out as T;
  }
  return value;
}

/** Structural equality of two plain trees (key order ignored). */
export function isDeepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => isDeepEqual(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.hasOwn(b, k) && isDeepEqual(a[k], b[k]));
  }
  return false;
}

/** The node at a path, or undefined when any step is missing. */
export function getAt(tree: unknown, path: FieldPath): unknown {
  let node: unknown = tree;
  for (const part of path) {
    if (Array.isArray(node) && typeof part === 'number') node = node[part];
    else if (isRecord(node) && Object.hasOwn(node, String(part))) node = node[String(part)];
    else return undefined;
  }
  return node;
}

/** YAML/interpolation may leave booleans as "true"/"false" strings (the schema allows it). */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'True' || value === 'TRUE') return true;
  if (value === 'false' || value === 'False' || value === 'FALSE') return false;
  return undefined;
}
