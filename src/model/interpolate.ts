// Interpolates every string value of one parsed compose file, keeping each value's field path so
// that errors and unset-variable warnings point at the line the value came from.
import type { ConfigIssue } from '../errors.js';
import { isMap, isScalar, isSeq } from 'yaml';
import { matchesPath, type FieldPath } from './field-path.js';
import { locate, type Location, type SourceFile } from './source.js';
import { substituteTemplate, TemplateError, type Lookup } from './template.js';

/** A variable used without a default that was not set; it was replaced by ''. */
export interface UnsetVariable {
  readonly name: string;
  readonly path: FieldPath;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface InterpolationResult {
  readonly tree: unknown;
  readonly issues: ConfigIssue[];
  readonly unset: UnsetVariable[];
}

/** No compose file nests this deep; stopping here keeps hostile input from exhausting the stack. */
export const MAX_TREE_DEPTH = 200;

type CastKind = 'integer' | 'number' | 'boolean';

interface CastRule {
  readonly pattern: string;
  readonly kind: CastKind;
  /** When false, a value that does not convert is legitimate (e.g. count: all) and stays a string. */
  readonly strict: boolean;
}

const rules = (kind: CastKind, patterns: readonly string[], strict = true): CastRule[] =>
  patterns.map((pattern) => ({ pattern, kind, strict }));

/**
 * Fields the Compose schema types as integer, number or boolean. Most also accept a string so
 * that `${VAR}` passes validation, so a value produced by interpolation is converted here.
 * Fields with units or durations (mem_limit, shm_size, stop_grace_period) and file modes
 * (which may be octal) stay strings for the later stages to parse.
 */
const CAST_RULES: readonly CastRule[] = [
  ...rules('integer', [
    'services.*.scale', 'services.*.cpu_count', 'services.*.cpu_percent', 'services.*.oom_score_adj',
    'services.*.mem_swappiness', 'services.*.ports.*.target', 'services.*.blkio_config.weight',
    'services.*.blkio_config.weight_device.*.weight', 'services.*.ulimits.*', 'services.*.ulimits.*.soft',
    'services.*.ulimits.*.hard', 'services.*.build.ulimits.*', 'services.*.build.ulimits.*.soft',
    'services.*.build.ulimits.*.hard', 'services.*.deploy.replicas', 'services.*.deploy.update_config.parallelism',
    'services.*.deploy.rollback_config.parallelism', 'services.*.deploy.restart_policy.max_attempts',
    'services.*.deploy.placement.max_replicas_per_node', 'services.*.deploy.resources.limits.pids',
    'models.*.context_size',
  ]),
  ...rules('integer', [
    'services.*.deploy.resources.reservations.devices.*.count', 'services.*.gpus.*.count',
    'services.*.cpu_rt_period', 'services.*.cpu_rt_runtime', 'services.*.blkio_config.device_read_bps.*.rate',
    'services.*.blkio_config.device_read_iops.*.rate', 'services.*.blkio_config.device_write_bps.*.rate',
    'services.*.blkio_config.device_write_iops.*.rate',
  ], false),
  ...rules('number', [
    'services.*.cpus', 'services.*.cpu_shares', 'services.*.cpu_quota', 'services.*.cpu_period',
    'services.*.pids_limit', 'services.*.healthcheck.retries', 'services.*.networks.*.priority',
    'services.*.networks.*.gw_priority', 'services.*.deploy.resources.limits.cpus',
    'services.*.deploy.resources.reservations.cpus', 'services.*.deploy.update_config.max_failure_ratio',
    'services.*.deploy.rollback_config.max_failure_ratio',
  ]),
  ...rules('boolean', [
    'services.*.attach', 'services.*.init', 'services.*.oom_kill_disable', 'services.*.privileged',
    'services.*.read_only', 'services.*.stdin_open', 'services.*.tty', 'services.*.use_api_socket',
    'services.*.build.no_cache', 'services.*.build.pull', 'services.*.build.privileged',
    'services.*.depends_on.*.restart', 'services.*.depends_on.*.required', 'services.*.env_file.*.required',
    'services.*.healthcheck.disable', 'services.*.volumes.*.read_only', 'services.*.volumes.*.bind.create_host_path',
    'services.*.volumes.*.volume.nocopy', 'services.*.post_start.*.privileged', 'services.*.pre_stop.*.privileged',
    'services.*.develop.watch.*.initial_sync', 'networks.*.external', 'networks.*.internal',
    'networks.*.attachable', 'networks.*.enable_ipv4', 'networks.*.enable_ipv6', 'volumes.*.external',
    'secrets.*.external', 'configs.*.external',
  ]),
  ...rules('boolean', ['services.*.build.provenance', 'services.*.build.sbom'], false),
];

/** The rules by their pattern's last segment ('*' for any), so most strings test none. */
const RULES_BY_LAST = groupRules(CAST_RULES);

interface WalkState {
  readonly source: SourceFile;
  readonly lookup: Lookup;
  readonly issues: ConfigIssue[];
  readonly unset: UnsetVariable[];
  readonly locate: (path: FieldPath) => Location;
  /** The current path, mutated while walking; copied whenever it is recorded. */
  readonly path: (string | number)[];
  tooDeepReported: boolean;
}

/**
 * Returns a copy of `tree` with every string value interpolated (mapping keys are left alone),
 * then converted to a number or boolean where the schema expects one. Problems are collected,
 * not thrown; a value that fails keeps its original text.
 */
export function interpolateTree(source: SourceFile, tree: unknown, lookup: Lookup): InterpolationResult {
  const state: WalkState = { source, lookup, issues: [], unset: [], locate: createLocator(source), path: [], tooDeepReported: false };
  const result = walk(tree, state);
  return { tree: result, issues: state.issues, unset: state.unset };
}

function walk(value: unknown, state: WalkState): unknown {
  if (typeof value === 'string') return interpolateString(value, state);
  const isArray = Array.isArray(value);
  if (!isArray && !isPlainObject(value)) return value;
  if (state.path.length >= MAX_TREE_DEPTH) {
    reportTooDeep(state);
    return value;
  }
  if (isArray) return value.map((item, index) => walkChild(item, index, state));
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    // A YAML key named __proto__ must stay data, not become the copy's prototype.
    Object.defineProperty(out, key, { value: walkChild(child, key, state), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function walkChild(value: unknown, segment: string | number, state: WalkState): unknown {
  state.path.push(segment);
  try {
    return walk(value, state);
  } finally {
    state.path.pop();
  }
}

function interpolateString(text: string, state: WalkState): unknown {
  if (!text.includes('$')) return text;
  const path: FieldPath = [...state.path];
  let result: { value: string; unset: string[] };
  try {
    result = substituteTemplate(text, state.lookup);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    state.issues.push(issueFor(state, path, error.message, error.hint));
    return text;
  }
  if (result.unset.length > 0) {
    const where = state.locate(path);
    for (const name of result.unset) state.unset.push({ name, path, ...where });
  }
  return castValue(text, result.value, path, state);
}

/** Converts an interpolated value where the schema expects a number or boolean. */
function castValue(original: string, value: string, path: FieldPath, state: WalkState): unknown {
  const last = String(path[path.length - 1]);
  const candidates = [...(RULES_BY_LAST.get(last) ?? []), ...(RULES_BY_LAST.get('*') ?? [])];
  const rule = candidates.find((candidate) => matchesPath(path, candidate.pattern));
  if (!rule) return value;
  const converted = CONVERTERS[rule.kind](value);
  if (converted !== undefined) return converted;
  if (rule.strict) {
    const message = `"${original}" interpolates to "${value}", which is not ${DESCRIPTIONS[rule.kind]}`;
    state.issues.push(issueFor(state, path, message, 'check the values of the variables it uses'));
  }
  return value;
}

const CONVERTERS: Readonly<Record<CastKind, (text: string) => number | boolean | undefined>> = {
  integer: (text) => (/^[+-]?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined),
  number: (text) => (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text) && Number.isFinite(Number(text)) ? Number(text) : undefined),
  boolean: toBoolean,
};

const DESCRIPTIONS: Readonly<Record<CastKind, string>> = {
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean (true or false)',
};

/** The spellings compose accepts for an interpolated boolean. */
function toBoolean(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  if (['true', 'yes', 'y', 'on'].includes(lower)) return true;
  if (['false', 'no', 'n', 'off'].includes(lower)) return false;
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function reportTooDeep(state: WalkState): void {
  if (state.tooDeepReported) return;
  state.tooDeepReported = true;
  const message = `the file nests more than ${MAX_TREE_DEPTH} levels deep; values below this point are not interpolated`;
  state.issues.push(issueFor(state, [...state.path], message, 'no compose file needs this depth; flatten the structure'));
}

function groupRules(all: readonly CastRule[]): Map<string, CastRule[]> {
  const byLast = new Map<string, CastRule[]>();
  for (const rule of all) {
    const last = rule.pattern.slice(rule.pattern.lastIndexOf('.') + 1);
    byLast.set(last, [...(byLast.get(last) ?? []), rule]);
  }
  return byLast;
}

/** Like source.ts's issueAt, but located through the walk's index. */
function issueFor(state: WalkState, path: FieldPath, message: string, hint: string | undefined): ConfigIssue {
  const where = state.locate(path);
  const starts = state.source.lineCounter.lineStarts;
  const start = starts[where.line - 1] ?? 0;
  const end = state.source.text.indexOf('\n', start);
  const snippet = state.source.text.slice(start, end < 0 ? undefined : end).replace(/\r$/, '');
  return { ...where, path, message, snippet, ...(hint ? { hint } : {}) };
}

/**
 * Locates values through an index of the document built on first use: locate() scans each
 * mapping linearly, which turns thousands of warnings in a big file into seconds. Paths the
 * index lacks (through aliases or merge keys) fall back to locate().
 */
function createLocator(source: SourceFile): (path: FieldPath) => Location {
  let offsets: Map<string, number> | undefined;
  return (path) => {
    offsets ??= indexScalarOffsets(source);
    const offset = offsets.get(path.join('\u0000'));
    if (offset === undefined) return locate(source, path);
    const pos = source.lineCounter.linePos(offset);
    return { file: source.path, line: pos.line, column: pos.col };
  };
}

function indexScalarOffsets(source: SourceFile): Map<string, number> {
  const offsets = new Map<string, number>();
  const path: (string | number)[] = [];
  const visit = (node: unknown): void => {
    if (path.length > MAX_TREE_DEPTH) return;
    if (isScalar(node)) {
      if (node.range) offsets.set(path.join('\u0000'), node.range[0]);
    } else if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        path.push(String(pair.key.value));
        visit(pair.value);
        path.pop();
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        path.push(index);
        visit(item);
        path.pop();
      });
    }
  };
  visit(source.doc.contents);
  return offsets;
}
