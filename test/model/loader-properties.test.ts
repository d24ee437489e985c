// Property-based tests of the loader (fast-check): random compose-like documents, random text, and
// random mutations of the shared corpus either load or fail with a ConfigError whose every issue
// names its file and a place in it (a line, or a field path). Never another exception, and never
// slow: each case must finish within a deadline. Inputs are bounded (depth, keys, lengths), and
// YAML alias expansion is capped by the parser, so memory per case stays small.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
  });
});
