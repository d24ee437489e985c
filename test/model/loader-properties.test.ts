// Property-based tests of the loader (fast-check): random compose-like documents, random text, and
// random mutations of the shared corpus either load or fail with a ConfigError whose every issue
// names its file and a place in it (a line, or a field path). Never another exception, and never
// slow: each case must finish within a deadline. Inputs are bounded (depth, keys, lengths), and
// YAML alias expansion is capped by the parser, so memory per case stays small.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError } from '../../src/errors.js';
import { loadProject } from '../../src/model/load.js';

/** Longest a single load may take; the slowest corpus stack loads in a few ms. */
const CASE_DEADLINE_MS = 1_000;
const repoRoot = resolve(import.meta.dirname, '../..');
const corpus = resolve(repoRoot, '../shared/corpus');
const manifest = JSON.parse(readFileSync(join(corpus, 'manifest.json'), 'utf8')) as readonly { readonly file: string }[];
/** Texts of the corpus files, read once. */
const corpusFiles = manifest.map((entry) => ({ path: join(corpus, entry.file), text: readFileSync(join(corpus, entry.file), 'utf8') }));

type Outcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

/** Loads `text` as `gantry -f - config` would in `dir`, timing it. */
function load(text: string, dir: string): Outcome & { readonly ms: number } {
  const started = performance.now();
  try {
    loadProject({ files: ['-'], readStdin: () => text, cwd: dir, env: {}, homeDir: '/home/user', projectName: 'prop' });
    return { ok: true, ms: performance.now() - started };
  } catch (error) {
    return { ok: false, error, ms: performance.now() - started };
  }
}

/** The property: loaded, or a ConfigError with located issues; in time either way. */
function expectLoadsOrLocatedError(text: string, dir: string): void {
  const outcome = load(text, dir);
  expect(outcome.ms, 'one load took too long').toBeLessThan(CASE_DEADLINE_MS);
  if (outcome.ok) return;
  const { error } = outcome;
  if (!(error instanceof ConfigError)) throw new Error(`not a ConfigError: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  expect(error.issues.length).toBeGreaterThan(0);
  for (const issue of error.issues) {
    expect(issue.file, issue.message).not.toBe('');
    expect(issue.message.trim(), JSON.stringify(issue)).not.toBe('');
    expect(issue.line > 0 || issue.path.length > 0, `unlocated issue: ${JSON.stringify(issue)}`).toBe(true);
  }
}

// ---- generators ----

/** Values that exercise interpolation, durations, sizes, ports, paths and YAML's type guessing. */
const TRICKY = [
  '${A}', '${A:-x}', '${A-x}', '${A:?needs A}', '${A?}', '${A:+alt}', '$$', '$', '${', '${}', '${A:-${B:-c}}', '$A', '${1}', '${A:}',
  '~', '~/x', './rel', '../up', '/abs', '.', '', ' ', '80', '80:80', '127.0.0.1:8080:80/udp', '1-5:1-5', '[::1]:80:80', '65536', '-1', '0',
  '10s', '1h30m', '1.5s', 'forever', '512m', '1g', '10kb', 'service:db', 'container:x', 'host', 'none', 'bridge', 'true', 'yes', 'on', 'null',
  '0x1F', '.inf', '1e309', 'service_healthy', 'service_completed_successfully', 'always', 'unless-stopped', 'NET_ADMIN', 'SIGKILL', 'db', 'web',
];
const KEYS = [
  'services', 'networks', 'volumes', 'secrets', 'configs', 'name', 'include', 'version', 'x-ext', 'image', 'build', 'context', 'dockerfile',
  'args', 'command', 'entrypoint', 'environment', 'env_file', 'ports', 'expose', 'depends_on', 'condition', 'restart', 'required',
  'healthcheck', 'test', 'interval', 'timeout', 'retries', 'start_period', 'disable', 'deploy', 'replicas', 'resources', 'limits', 'cpus',
  'memory', 'extends', 'file', 'service', 'profiles', 'networks', 'aliases', 'ipv4_address', 'external', 'driver', 'driver_opts', 'labels',
  'target', 'published', 'protocol', 'host_ip', 'mode', 'source', 'type', 'read_only', 'bind', 'create_host_path', 'tmpfs', 'size',
  'network_mode', 'volumes_from', 'container_name', 'scale', 'ulimits', 'nofile', 'soft', 'hard', 'sysctls', 'stop_grace_period',
  'logging', 'options', 'ipam', 'config', 'subnet', 'gateway', 'path', 'project_directory', 'db', 'web', '<<',
];

const scalar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.integer({ min: -100_000, max: 100_000 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: false }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);
const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) });

/** A tree at most 4 levels deep, 5 keys or 4 items wide. */
const tree = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(key, tie('node'), { maxKeys: 5 }),
  ),
})).node;

const serviceName = fc.constantFrom('web', 'db', 'api', 'job', 'Bad Name', '');
const service = fc.dictionary(key, tree, { maxKeys: 6 });
/** A document shaped like a compose file, so most cases get past the parser into the later stages. */
const composeDocument = fc.record(
  {
    services: fc.dictionary(serviceName, service, { maxKeys: 3 }),
    networks: fc.dictionary(fc.constantFrom('front', 'back', 'default'), tree, { maxKeys: 2 }),
    volumes: fc.dictionary(fc.constantFrom('data', 'cache'), tree, { maxKeys: 2 }),
    name: scalar,
    'x-common': tree,
  },
  { requiredKeys: ['services'] },
);

/** Mostly well-typed services with tricky values, so cases get past the schema into normalisation, consistency and binding. */
const name = fc.constantFrom('web', 'db', 'api', 'job');
const duration = fc.constantFrom('10s', '1m30s', '500ms', '0s', '1h', 'forever', '1.5', '-1s', '${D:-5s}');
const typedService = fc.record(
  {
    image: fc.constantFrom('busybox', 'busybox:1', 'registry:5000/a/b:1', '${IMAGE:-busybox}', '', 'UPPER'),
    build: fc.oneof(fc.constantFrom('.', './app', '../x'), fc.record({ context: fc.constantFrom('.', 'app'), dockerfile: fc.constantFrom('Dockerfile', ''), target: scalar }, { requiredKeys: [] })),
    command: fc.oneof(fc.constantFrom('sleep 1', '', 'sh -c "echo $$HOME"', "unterminated 'quote"), fc.array(fc.constantFrom('sh', '-c', '${X}', ''), { maxLength: 3 })),
    environment: fc.oneof(fc.dictionary(fc.constantFrom('A', 'B', 'A B', ''), fc.oneof(fc.constantFrom('1', '', '${A:-x}', '$$'), fc.constant(null), fc.integer()), { maxKeys: 3 }), fc.uniqueArray(fc.constantFrom('A=1', 'B', '=x', 'C=${A:-y}'), { maxLength: 3 })),
    ports: fc.array(fc.oneof(fc.constantFrom('80', '8080:80', '127.0.0.1::80', '1-3:1-3/udp', '[::1]:80:80', '65536', 'x'), fc.record({ target: fc.constantFrom(80, 0, 70000), published: fc.constantFrom('8080', '8000-8001', ''), protocol: fc.constantFrom('tcp', 'udp', 'sctp', 'x') }, { requiredKeys: ['target'] })), { maxLength: 3 }),
    volumes: fc.array(fc.oneof(fc.constantFrom('data:/data', './x:/y:ro', '/anon', 'cache:/c:nocopy', 'nope:/n', ':/x', 'a:b:c:d', '~/h:/h'), fc.record({ type: fc.constantFrom('volume', 'bind', 'tmpfs', 'npipe', 'x'), source: fc.constantFrom('data', './x', '', '/abs'), target: fc.constantFrom('/t', 'rel', '') }, { requiredKeys: ['type'] })), { maxLength: 3 }),
    depends_on: fc.oneof(fc.uniqueArray(name, { maxLength: 3 }), fc.dictionary(name, fc.record({ condition: fc.constantFrom('service_started', 'service_healthy', 'service_completed_successfully', 'bogus'), required: fc.boolean(), restart: fc.boolean() }, { requiredKeys: [] }), { maxKeys: 3 })),
    healthcheck: fc.record({ test: fc.oneof(fc.constantFrom('true', ''), fc.array(fc.constantFrom('CMD', 'CMD-SHELL', 'NONE', 'true'), { maxLength: 3 })), interval: duration, timeout: duration, retries: fc.constantFrom(3, 0, -1), disable: fc.boolean() }, { requiredKeys: [] }),
    networks: fc.oneof(fc.uniqueArray(fc.constantFrom('front', 'back', 'default', 'missing'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('front', 'back'), fc.oneof(fc.constant(null), fc.record({ aliases: fc.array(fc.constantFrom('www', '', 'a b'), { maxLength: 2 }), ipv4_address: fc.constantFrom('10.0.0.5', '999.1.1.1', 'x') }, { requiredKeys: [] })), { maxKeys: 2 })),
    network_mode: fc.constantFrom('host', 'none', 'service:db', 'service:missing', 'container:x', 'bridge'),
    extends: fc.oneof(name, fc.record({ service: name, file: fc.constantFrom('other.yaml', '.', '/dev/null') }, { requiredKeys: ['service'] })),
    deploy: fc.record({ replicas: fc.constantFrom(0, 1, 3, -1, '2'), resources: fc.record({ limits: fc.record({ cpus: fc.constantFrom(0.5, '1.5', 'x'), memory: fc.constantFrom('512m', '1g', 'lots', '-1') }, { requiredKeys: [] }) }, { requiredKeys: [] }) }, { requiredKeys: [] }),
    restart: fc.constantFrom('no', 'always', 'on-failure:3', 'unless-stopped', 'sometimes'),
    container_name: fc.constantFrom('fixed', 'fixed', 'Bad Name!', ''),
    stop_grace_period: duration,
    profiles: fc.array(fc.constantFrom('debug', 'prod', ''), { maxLength: 2 }),
    scale: fc.constantFrom(0, 2, -1),
    env_file: fc.constantFrom('.env', 'missing.env', '/dev/null'),
    secrets: fc.array(fc.constantFrom('token', 'missing'), { maxLength: 2 }),
  },
  { requiredKeys: [] },
)
  // Keep the image and at most three other fields: each field alone is likely valid, all at once rarely.
  .chain((service) => fc.shuffledSubarray(Object.keys(service), { maxLength: 3 }).map((keys) => Object.fromEntries(Object.entries(service).filter(([k]) => k === 'image' || keys.includes(k)))));
const typedDocument = fc.record(
  {
    services: fc.dictionary(name, typedService, { minKeys: 1, maxKeys: 4 }),
    networks: fc.dictionary(fc.constantFrom('front', 'back', 'default'), fc.oneof(fc.constant(null), fc.record({ external: fc.boolean(), name: fc.constantFrom('shared', '', '${N:-n}'), driver: fc.constantFrom('bridge', 'overlay', ''), internal: fc.boolean() }, { requiredKeys: [] })), { maxKeys: 2 }),
    volumes: fc.dictionary(fc.constantFrom('data', 'cache'), fc.oneof(fc.constant(null), fc.record({ external: fc.boolean(), name: fc.constantFrom('shared', '', '${V:-v}'), driver: fc.constantFrom('local', '') }, { requiredKeys: [] })), { maxKeys: 2 }),
    secrets: fc.dictionary(fc.constantFrom('token'), fc.record({ file: fc.constantFrom('./token.txt', ''), environment: fc.constantFrom('TOKEN'), external: fc.boolean() }, { requiredKeys: [] }), { maxKeys: 1 }),
    name: fc.constantFrom('demo', 'Bad Name', '', '${NAME:-x}'),
  },
  { requiredKeys: ['services'] },
);

/** Text edits: what a hurried hand (or a bad merge) does to a file. */
type Edit =
  | { readonly kind: 'delete' | 'duplicate' | 'truncate'; readonly at: number }
  | { readonly kind: 'insert' | 'replaceValue'; readonly at: number; readonly text: string }
  | { readonly kind: 'indent'; readonly at: number; readonly delta: number }
  | { readonly kind: 'swap'; readonly at: number; readonly other: number };

const yamlToken = fc.constantFrom(
  ':', '- ', '  ', '\t', '"', "'", '[', ']', '{', '}', '&a ', '*a', '<<: *a', '!!str ', '!!binary ', '!custom ', '#', '|', '>-', '? ', ',', '%YAML 1.2',
  '---', '...', 'key: value', '- item', '\\u0000', '\uFEFF', '\r', '${X', 'services:', 'image:', '@', '`', '&a [*a, *a, *a]',
);
const at = fc.nat({ max: 10_000 });
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete', 'duplicate', 'truncate'), at }),
  fc.record({ kind: fc.constantFrom('insert', 'replaceValue'), at, text: fc.oneof(yamlToken, fc.constantFrom(...TRICKY), fc.string({ maxLength: 8 })) }),
  fc.record({ kind: fc.constant('indent'), at, delta: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant('swap'), at, other: at }),
) as fc.Arbitrary<Edit>;

function applyEdit(text: string, e: Edit): string {
  const lines = text.split('\n');
  const i = e.at % Math.max(lines.length, 1);
  const line = lines[i] ?? '';
  switch (e.kind) {
    case 'delete': lines.splice(i, 1); break;
    case 'duplicate': lines.splice(i, 0, line); break;
    case 'truncate': return text.slice(0, e.at % (text.length + 1));
    case 'insert': {
      const column = e.at % (line.length + 1);
      lines[i] = line.slice(0, column) + e.text + line.slice(column);
      break;
    }
    case 'replaceValue': {
      const colon = line.indexOf(':');
      lines[i] = colon < 0 ? `${line} ${e.text}` : `${line.slice(0, colon + 1)} ${e.text}`;
      break;
    }
    case 'indent': lines[i] = e.delta >= 0 ? ' '.repeat(e.delta) + line : line.replace(new RegExp(`^ {0,${-e.delta}}`), ''); break;
    case 'swap': {
      const j = e.other % lines.length;
      [lines[i], lines[j]] = [lines[j] ?? '', line];
      break;
    }
  }
  return lines.join('\n');
}

// ---- properties ----

const emptyDir = join(repoRoot, 'test', 'fixtures');

describe('the loader never throws anything but a located ConfigError', () => {
  it('on random compose-shaped documents', () => {
    fc.assert(fc.property(composeDocument, (doc) => expectLoadsOrLocatedError(stringify(doc), emptyDir)), { numRuns: 300 });
  });

  it('on random well-typed documents with tricky values', () => {
    fc.assert(fc.property(typedDocument, (doc) => expectLoadsOrLocatedError(stringify(doc), emptyDir)), { numRuns: 500 });
  });

  it('on random compose-shaped documents after random text edits', () => {
    const edited = fc.tuple(composeDocument, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([doc, edits]) => edits.reduce(applyEdit, stringify(doc)));
    fc.assert(fc.property(edited, (text) => expectLoadsOrLocatedError(text, emptyDir)), { numRuns: 300 });
  });

  it('on random YAML-ish text', () => {
    const text = fc.array(fc.oneof(yamlToken, fc.constantFrom('\n', '\n  ', '\n- ', 'a', 'b: ', '1'), fc.string({ maxLength: 4 })), { maxLength: 60 }).map((parts) => parts.join(''));
    fc.assert(fc.property(text, (t) => expectLoadsOrLocatedError(t, emptyDir)), { numRuns: 400 });
  });

  it('on random edits of the corpus files, in their own directories', () => {
    const mutated = fc.tuple(fc.constantFrom(...corpusFiles), fc.array(edit, { minLength: 1, maxLength: 4 }))
      .map(([file, edits]) => ({ path: file.path, text: edits.reduce(applyEdit, file.text) }));
    fc.assert(fc.property(mutated, ({ path, text }) => expectLoadsOrLocatedError(text, dirname(path))), { numRuns: 600 });
  });

  it('on an alias bomb and deep nesting, in time', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghij'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`), 'services: {web: {image: busybox, labels: *j}}'].join('\n');
    expectLoadsOrLocatedError(bomb, emptyDir);
    expectLoadsOrLocatedError(`services:\n  web:\n    image: busybox\n    x-deep: ${'['.repeat(5_000)}${']'.repeat(5_000)}\n`, emptyDir);
    expectLoadsOrLocatedError(`services:\n  web:\n    image: busybox\n    x-deep: ${'{a: '.repeat(2_000)}1${'}'.repeat(2_000)}\n`, emptyDir);
    const tooDeep = load(`services:\n  web:\n    image: busybox\n    x-deep: ${'['.repeat(5_000)}${']'.repeat(5_000)}\n`, emptyDir);
    // The parser may give up at more than one place, depending on the stack left: all on line 4.
    const deepIssues = !tooDeep.ok && tooDeep.error instanceof ConfigError ? tooDeep.error.issues : [];
    expect(deepIssues.map((i) => i.line)).toEqual(deepIssues.map(() => 4));
    expect(deepIssues.map((i) => i.message)).toContain('the file nests collections too deeply to be read');
  });
});

describe('found by these properties', () => {
  it('refuses an alias inside the node it names, which used to hang the loader', () => {
    for (const [text, line] of [['&a [*a, *a, *a]\n', 1], ['services:\n  test:\n    image: &a [*a, *a]\n', 3], ['x: &m {k: *m}\nservices:\n  web:\n    image: busybox\n    labels: *m\n', 1]] as const) {
      const outcome = load(text, emptyDir);
      expect(outcome.ms).toBeLessThan(CASE_DEADLINE_MS);
      const issues = !outcome.ok && outcome.error instanceof ConfigError ? outcome.error.issues : [];
      expect(issues.length).toBeGreaterThan(0);
      expect(issues.every((i) => i.line === line && i.message === 'this alias refers to a node that contains it: the value would never end')).toBe(true);
    }
  });

  it('refuses a mapping key that is a list or a mapping, at its line, without a runtime warning', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    for (const text of ['services:\n  ? [a, b]\n  : image: busybox\n', 'x-k: &k [1]\nservices:\n  web:\n    image: busybox\n    labels:\n      *k : y\n']) {
      const outcome = load(text, emptyDir);
      const issues = !outcome.ok && outcome.error instanceof ConfigError ? outcome.error.issues : [];
      expect(issues.map((i) => i.message)).toEqual(['a mapping key must be a plain value, not a list or a mapping']);
      expect(issues[0]?.line).toBe(text.startsWith('x-k') ? 6 : 2);
    }
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});
