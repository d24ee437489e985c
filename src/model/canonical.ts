// Short syntax → the long syntax `docker compose config` prints, by a table of path patterns, so the
// merge rules and everything after them see one shape per field (and relative paths made absolute).
import { isScalar } from 'yaml';
import type { ConfigIssue } from '../errors.js';
import { matchesPath, type FieldPath } from './field-path.js';
import { formatDuration, parseDuration, parseSize } from './canonical-units.js';
import { canonicalLongPort, parsePortSpec } from './canonical-ports.js';
import { checkAddressList, checkDnsServers, checkExtraHosts, checkIpamConfig, checkStaticAddress, extraHostEntries, type AddressProblem } from './canonical-addresses.js';
import { canonicalBuild, canonicalEnvFile, canonicalExtends, canonicalFileObject, canonicalPathList, resolveAdditionalContexts } from './canonical-paths.js';
import { canonicalLongVolume, parseVolumeSpec } from './canonical-volumes.js';
import { splitShellWords } from './shell-split.js';
import { issueAt, nodeAt, type SourceFile } from './source.js';
import { isRecord, setKey, toBoolean, type Tree } from './tree.js';

export { formatDuration, parseDuration, parseSize } from './canonical-units.js';

export interface CanonicalContext {
  readonly source: SourceFile;
  /** Base of relative paths: the project directory (or, for an extended file, its own directory). */
  readonly workingDir: string;
  readonly homeDir: string;
}

/** What a rule gets besides the value: the bases of relative paths, and a way to report. */
interface RuleContext {
  readonly paths: { readonly workingDir: string; readonly homeDir: string };
  /** Reports a problem at the rule's node (plus `sub`, e.g. a list index). */
  report(message: string, sub?: FieldPath, hint?: string): void;
  /** The text a scalar under the node was written as (`0440` where the value reads 440). */
  sourceText(sub: FieldPath): string | undefined;
}

type Rule = (value: unknown, at: RuleContext) => unknown;

/**
 * Returns a new tree: every short form replaced by its long form. The input is schema-valid;
 * values that still cannot be understood (bad port numbers, durations, sizes) become issues
 * located at the entry in the file.
 */
export function canonicalizeTree(tree: Record<string, unknown>, ctx: CanonicalContext): { tree: Record<string, unknown>; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const visit = (value: unknown, path: FieldPath): unknown => {
    const rule = ruleFor(path);
    // Most nodes have no rule: the context is only built for those that do.
    const next = rule ? rule(value, ruleContext(path)) : value;
    if (!isRecord(next)) return next;
    const out: Tree = {};
    for (const [key, child] of Object.entries(next)) setKey(out, key, visit(child, [...path, key]));
    return out;
  };
  const ruleContext = (path: FieldPath): RuleContext => ({
    paths: ctx,
    report: (message, sub = [], hint) => issues.push(issueAt(ctx.source, [...path, ...sub], message, hint === undefined ? {} : { hint })),
    sourceText: (sub) => {
      const node = nodeAt(ctx.source, [...path, ...sub])?.node;
      return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
    },
  });
  // No copy first: the input is interpolation's fresh copy, visit builds new mappings, and rules
  // return new values without changing the ones they are given.
  return { tree: visit(tree, []) as Tree, issues };
}

/** The first rule of the table whose pattern matches `path`. */
function ruleFor(path: FieldPath): Rule | undefined {
  return candidatesFor(String(path[path.length - 1])).find(([pattern]) => matchesPath(path, pattern))?.[1];
}

/**
 * The rules that could match a path ending in `last`, in table order: those whose pattern ends in
 * `last` or in a wildcard. The walk visits every node of every service, and most match none.
 */
function candidatesFor(last: string): readonly (readonly [string, Rule])[] {
  // Names no pattern ends in (environment variables, labels …) share the entry ''.
  const key = RULE_ENDS.has(last) ? last : '';
  let hit = CANDIDATES.get(key);
  if (hit === undefined) {
    hit = RULES.filter(([pattern]) => {
      const end = pattern.slice(pattern.lastIndexOf('.') + 1);
      return end === key || end === '*' || end === '**';
    });
    CANDIDATES.set(key, hit);
  }
  return hit;
}

const CANDIDATES = new Map<string, readonly (readonly [string, Rule])[]>();

// ---- rules -------------------------------------------------------------------------------------

const toStringList: Rule = (value) => (typeof value === 'string' ? [value] : Array.isArray(value) ? value.map(String) : value);

/** `KEY=VALUE` lists and mappings → one mapping; `missing` is the value of a bare `KEY`. */
const toMapping = (missing: null | ''): Rule => (value) => {
  const out: Tree = {};
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = String(item);
      const eq = text.indexOf('=');
      if (eq < 0) setKey(out, text, missing);
      else setKey(out, text.slice(0, eq), text.slice(eq + 1));
    }
    return out;
  }
  if (!isRecord(value)) return value;
  for (const [key, v] of Object.entries(value)) setKey(out, key, v === null || v === undefined ? missing : typeof v === 'object' ? v : String(v));
  return out;
};

const canonicalPorts: Rule = (value, at) => {
  if (!Array.isArray(value)) return value;
  const out: Tree[] = [];
  value.forEach((item, i) => {
    const result = isRecord(item) ? canonicalLongPort(item) : typeof item === 'string' || typeof item === 'number' ? parsePortSpec(item) : { error: 'expected a port string, number or mapping' };
    if ('error' in result) at.report(result.error, [i]);
    else out.push(...result.entries);
  });
  return out;
};

const canonicalVolumes: Rule = (value, at) => {
  if (!Array.isArray(value)) return value;
  const out: Tree[] = [];
  value.forEach((item, i) => {
    const result = isRecord(item) ? canonicalLongVolume(item, at.paths) : parseVolumeSpec(String(item), at.paths);
    if ('error' in result) at.report(result.error, [i]);
    else out.push(result.entry);
  });
  return out;
};

const canonicalDependsOn: Rule = (value) => {
  if (!Array.isArray(value) && !isRecord(value)) return value;
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((name) => [String(name), {}]) : Object.entries(value);
  const out: Tree = {};
  for (const [name, raw] of entries) {
    const { condition, required, restart, ...rest } = isRecord(raw) ? raw : {};
    setKey(out, name, {
      condition: typeof condition === 'string' ? condition : 'service_started',
      required: toBoolean(required) ?? true,
      restart: toBoolean(restart) ?? false,
      ...rest,
    });
  }
  return out;
};

/** `host: ip`, `host=ip`, `host: [ip, ip]` → "host:ip" strings (the engine's ExtraHosts form). */
const canonicalExtraHosts: Rule = (value) => {
  const entries = extraHostEntries(value);
  if (entries === undefined) return value;
  return entries.map(({ host, ip }) => (ip === undefined || ip === '' ? host : `${host}:${ip.replace(/^\[(.*)\]$/, '$1')}`));
};

/** A list of network names → a mapping; a bare key (null) becomes an empty definition. */
const canonicalServiceNetworks: Rule = (value) => {
  if (Array.isArray(value)) return Object.fromEntries(value.map((name) => [String(name), {}]));
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([name, v]) => [name, v ?? {}]));
};

/** Reports what `check` finds in the value as written, then hands it to `next` (unchanged by default). */
const checked = (check: (value: unknown) => AddressProblem[], next: Rule = (v) => v): Rule => (value, at) => {
  for (const problem of check(value)) at.report(problem.message, problem.sub, problem.hint);
  return next(value, at);
};

const nullToEmpty: Rule = (value) => value ?? {};

/**
 * The legacy `external: {name: X}` (file format 3) → `external: true` and `name: X`, as compose
 * reads it; otherwise the engine name would become `<project>_<key>`. Both names set is an error.
 */
const canonicalExternal: Rule = (value, at) => {
  if (!isRecord(value) || !isRecord(value.external)) return value;
  const { name: legacyName } = value.external;
  if (legacyName === undefined) return { ...value, external: true };
  if (value.name !== undefined && value.name !== legacyName) {
    at.report('conflicting `name` and `external.name`: set only `name`, with `external: true` (external.name is deprecated)', ['external', 'name']);
    return value;
  }
  return { ...value, external: true, name: legacyName };
};

/**
 * Secrets mount under /run/secrets/ by default; configs at the root. A mode is octal: as text
 * ("0440"), and as a number written with a leading zero (0440), which compose's YAML 1.1 reads
 * as octal where YAML 1.2 reads 440.
 */
const fileReferences = (prefix: string): Rule => (value, at) => {
  if (!Array.isArray(value)) return value;
  return value.map((item, i) => {
    const { source, target, mode, ...rest }: Tree = isRecord(item) ? item : { source: String(item) };
    if (typeof source !== 'string') return item;
    const path = typeof target === 'string' && target !== '' ? target : source;
    return {
      source,
      target: path.startsWith('/') ? path : `${prefix}${path}`,
      ...rest,
      ...(mode === undefined ? {} : { mode: typeof mode === 'string' && /^[0-7]+$/.test(mode) ? Number.parseInt(mode, 8) : octalLiteral(mode, () => at.sourceText([i, 'mode'])) }),
    };
  });
};

/** A number written as 0440 read as octal; the source text is looked up only for numbers. */
function octalLiteral(value: unknown, sourceText: () => string | undefined): unknown {
  if (typeof value !== 'number') return value;
  const text = sourceText();
  return text !== undefined && /^0[0-7]+$/.test(text) ? Number.parseInt(text, 8) : value;
}

const canonicalUlimits: Rule = (value, at) => {
  if (!isRecord(value)) return value;
  const out: Tree = {};
  for (const [name, limit] of Object.entries(value)) {
    const soft = isRecord(limit) ? limit.soft : limit;
    const hard = isRecord(limit) ? limit.hard : limit;
    const parsed = [soft, hard].map((v) => (typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : undefined));
    if (parsed[0] === undefined || parsed[1] === undefined) at.report(`invalid ulimit ${JSON.stringify(limit)}: expected a number or {soft, hard}`, [name]);
    setKey(out, name, { ...(isRecord(limit) ? limit : {}), soft: parsed[0] ?? soft, hard: parsed[1] ?? hard });
  }
  return out;
};

const canonicalHealthTest: Rule = (value) => (typeof value === 'string' ? ['CMD-SHELL', value] : value);

const canonicalCommand: Rule = (value, at) => {
  if (typeof value !== 'string') return value;
  const result = splitShellWords(value);
  if ('error' in result) {
    at.report(`cannot split the command into arguments: ${result.error}`);
    return value;
  }
  return result.words;
};

const canonicalDuration: Rule = (value, at) => {
  if (value === null || value === undefined) return value;
  const nanos = typeof value === 'string' ? parseDuration(value) : undefined;
  if (nanos === undefined) {
    at.report(`invalid duration ${JSON.stringify(value)}: expected a duration like "10s", "1m30s" or "500ms"`);
    return value;
  }
  return formatDuration(nanos);
};

/** `allowUnlimited`: memswap_limit takes -1 for "unlimited swap". */
const canonicalSize = (allowUnlimited = false): Rule => (value, at) => {
  if (value === null || value === undefined) return value;
  if (allowUnlimited && (value === -1 || value === '-1')) return -1;
  const bytes = typeof value === 'string' || typeof value === 'number' ? parseSize(value) : undefined;
  if (bytes === undefined) {
    at.report(`invalid size ${JSON.stringify(value)}: expected bytes or a size like "512m", "1g" or "1.5GB"`);
    return value;
  }
  return bytes;
};

/**
 * The schema allows only strings for deploy memory sizes, so the byte count stays a string
 * ("52428800", as compose prints it) and `config` output validates when loaded again.
 */
const asDecimalText = (rule: Rule): Rule => (value, at) => {
  const out = rule(value, at);
  return typeof out === 'number' ? String(out) : out;
};

/** The first matching pattern wins; a rule's output is then visited key by key. */
const RULES: readonly (readonly [string, Rule])[] = [
  ['services.*.ports', canonicalPorts],
  ['services.*.expose', toStringList],
  ['services.*.volumes', canonicalVolumes],
  ['services.*.depends_on', canonicalDependsOn],
  ['services.*.environment', toMapping(null)],
  ['services.*.build.args', toMapping(null)],
  ['services.*.labels', toMapping('')],
  ['services.*.build.labels', toMapping('')],
  ['services.*.deploy.labels', toMapping('')],
  ['services.*.annotations', toMapping('')],
  ['services.*.sysctls', toMapping('')],
  ['services.*.build.additional_contexts', (v, at) => resolveAdditionalContexts(toMapping('')(v, at), at.paths)],
  ['services.*.extra_hosts', checked(checkExtraHosts, canonicalExtraHosts)],
  ['services.*.build.extra_hosts', checked(checkExtraHosts, canonicalExtraHosts)],
  ['services.*.build', (v, at) => canonicalBuild(v, at.paths)],
  ['services.*.build.secrets', fileReferences('/run/secrets/')],
  ['services.*.build.shm_size', canonicalSize()],
  ['services.*.env_file', (v, at) => canonicalEnvFile(v, at.paths)],
  ['services.*.label_file', (v, at) => canonicalPathList(v, at.paths)],
  ['services.*.networks', canonicalServiceNetworks],
  ['services.*.networks.*.ipv4_address', checked((v) => checkStaticAddress('ipv4_address', v))],
  ['services.*.networks.*.ipv6_address', checked((v) => checkStaticAddress('ipv6_address', v))],
  ['services.*.networks.*.link_local_ips', checked((v) => checkAddressList('link_local_ips', v))],
  ['services.*.secrets', fileReferences('/run/secrets/')],
  ['services.*.configs', fileReferences('/')],
  ['services.*.ulimits', canonicalUlimits],
  ['services.*.healthcheck.test', canonicalHealthTest],
  ['services.*.healthcheck.interval', canonicalDuration],
  ['services.*.healthcheck.timeout', canonicalDuration],
  ['services.*.healthcheck.start_period', canonicalDuration],
  ['services.*.healthcheck.start_interval', canonicalDuration],
  ['services.*.stop_grace_period', canonicalDuration],
  ['services.*.command', canonicalCommand],
  ['services.*.entrypoint', canonicalCommand],
  ['services.*.mem_limit', canonicalSize()],
  ['services.*.memswap_limit', canonicalSize(true)],
  ['services.*.mem_reservation', canonicalSize()],
  ['services.*.shm_size', canonicalSize()],
  ['services.*.deploy.resources.limits.memory', asDecimalText(canonicalSize())],
  ['services.*.deploy.resources.reservations.memory', asDecimalText(canonicalSize())],
  ['services.*.extends', (v, at) => canonicalExtends(v, at.paths)],
  ['services.*.dns', checked(checkDnsServers, toStringList)],
  ['services.*.dns_search', toStringList],
  ['services.*.tmpfs', toStringList],
  ['services.*.group_add', toStringList],
  ['secrets.*', (v, at) => canonicalExternal(canonicalFileObject(v, at.paths), at)],
  ['configs.*', (v, at) => canonicalExternal(canonicalFileObject(v, at.paths), at)],
  ['networks.*', (v, at) => canonicalExternal(nullToEmpty(v, at), at)],
  ['volumes.*', (v, at) => canonicalExternal(nullToEmpty(v, at), at)],
  ['networks.*.labels', toMapping('')],
  ['networks.*.ipam.config', checked(checkIpamConfig)],
  ['volumes.*.labels', toMapping('')],
  ['secrets.*.labels', toMapping('')],
  ['configs.*.labels', toMapping('')],
];

/** The last segments of the rules' patterns. */
const RULE_ENDS = new Set(RULES.map(([pattern]) => pattern.slice(pattern.lastIndexOf('.') + 1)));
