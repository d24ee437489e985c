// Field-by-field difference between two service configs (as recorded and as desired), named the
// way the compose file names them: `environment.VALUE: "one" → "two"`.
import { formatDuration } from '../model/canonical-units.js';
import { isDeepEqual, isRecord } from '../model/tree.js';

export interface FieldChange {
  /** Compose-style path: 'environment.VALUE', 'ports[0].published', 'command'. */
  readonly path: string;
  /** Undefined: the field was not set. */
  readonly before?: unknown;
  readonly after?: unknown;
}

/** Fields whose keys are the user's (variable names, label keys), never renamed to snake_case. */
const USER_KEYED = new Set(['environment', 'labels', 'sysctls', 'networks', 'ulimits', 'storageOpt', 'logging.options']);
/** Service fields whose compose name is not just the snake_case of the camelCase one. */
const RENAMED: Readonly<Record<string, string>> = { mounts: 'volumes' };
/** Nanosecond fields shown as durations. */
const DURATIONS = new Set(['interval', 'timeout', 'startPeriod', 'startInterval', 'stopGracePeriod']);

/** Every leaf that differs, sorted by the path shown. */
export function diffConfigs(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const changes: FieldChange[] = [];
  walk(before, after, [], changes);
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** `environment.VALUE: "one" → "two"`; an absent side reads `(unset)`. */
export function formatChange(change: FieldChange): string {
  return `${change.path}: ${formatValue(change.before, change.path)} → ${formatValue(change.after, change.path)}`;
}

type Segment = { readonly key: string; readonly field: string } | number;

function walk(a: unknown, b: unknown, path: readonly Segment[], out: FieldChange[]): void {
  if (isDeepEqual(a, b)) return;
  if (isRecord(a) && isRecord(b)) {
    const userKeyed = USER_KEYED.has(fieldPath(path));
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const field = userKeyed ? key : (path.length === 0 ? (RENAMED[key] ?? snake(key)) : snake(key));
      walk(a[key], b[key], [...path, { key, field }], out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && [...a, ...b].every((item) => isRecord(item))) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], [...path, i], out);
    return;
  }
  out.push({ path: displayPath(path), ...(a === undefined ? {} : { before: a }), ...(b === undefined ? {} : { after: b }) });
}

/** The path of field names (indices and user keys skipped): 'logging.options'. */
function fieldPath(path: readonly Segment[]): string {
  return path.filter((s): s is { key: string; field: string } => typeof s !== 'number').map((s) => s.key).join('.');
}

function displayPath(path: readonly Segment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(segment.field)) out += (out === '' ? '' : '.') + segment.field;
    else out += `[${JSON.stringify(segment.field)}]`;
  }
  return out;
}

function formatValue(value: unknown, path: string): string {
  if (value === undefined) return '(unset)';
  const last = path.slice(path.lastIndexOf('.') + 1);
  const camel = last.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  if (typeof value === 'number' && DURATIONS.has(camel)) return formatDuration(value);
  return JSON.stringify(value);
}

function snake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
