// Specification of interpolating a whole compose file: located errors, unset variables, casting.
import { describe, expect, it } from 'vitest';
import { interpolateTree, MAX_TREE_DEPTH } from '../../src/model/interpolate.js';
import { formatPath } from '../../src/model/field-path.js';
import { locate, parseSource } from '../../src/model/source.js';

const FILE = '/project/compose.yaml';

function interpolate(yaml: string, vars: Record<string, string> = {}) {
  const source = parseSource(FILE, yaml);
  return interpolateTree(source, source.tree, (name) => (Object.hasOwn(vars, name) ? vars[name] : undefined));
}

describe('interpolateTree', () => {
  it('interpolates string values everywhere, but never keys', () => {
    const result = interpolate([
      'services:',
      '  web:',
      '    image: ${IMAGE}:${TAG:-latest}',
      '    command: [echo, $GREETING]',
      '    labels:',
      '      $KEY: $$literal',
      '    environment:',
      '      A: 1',
    ].join('\n'), { IMAGE: 'nginx', GREETING: 'hi', KEY: 'k' });
    expect(result.issues).toEqual([]);
    expect(result.tree).toEqual({
      services: { web: { image: 'nginx:latest', command: ['echo', 'hi'], labels: { $KEY: '$literal' }, environment: { A: 1 } } },
    });
  });

  it('does not change the tree it was given', () => {
    const source = parseSource(FILE, 'a: $X\n');
    const before = structuredClone(source.tree);
    interpolateTree(source, source.tree, () => 'y');
    expect(source.tree).toEqual(before);
  });

  it('keeps a key named __proto__ as data', () => {
    const result = interpolate('x-meta:\n  __proto__: $V\n', { V: 'v' });
    const meta = (result.tree as Record<string, Record<string, unknown>>)['x-meta'];
    expect(Object.getPrototypeOf(meta)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(meta, '__proto__')?.value).toBe('v');
  });

  it('reports each unset variable with its field path, line and column', () => {
    const result = interpolate([
      'services:',
      '  web:',
      '    image: nginx:${TAG}',
      '    ports:',
      '      - "${PORT}:80"',
    ].join('\n'));
    expect(result.unset).toEqual([
      { name: 'TAG', path: ['services', 'web', 'image'], file: FILE, line: 3, column: 12 },
      { name: 'PORT', path: ['services', 'web', 'ports', 0], file: FILE, line: 5, column: 9 },
    ]);
    expect(result.tree).toEqual({ services: { web: { image: 'nginx:', ports: [':80'] } } });
  });

  it('locates values reached through anchors and merge keys like locate() does', () => {
    const yaml = [
      'x-base: &base',
      '  image: ${IMG}',
      'services:',
      '  web:',
      '    <<: *base',
      '    command: ["$CMD"]',
      '  api: *base',
    ].join('\n');
    const source = parseSource(FILE, yaml);
    const result = interpolateTree(source, source.tree, () => undefined);
    expect(result.unset.map((u) => [u.name, formatPath(u.path)])).toEqual([
      ['IMG', 'x-base.image'], ['IMG', 'services.web.image'], ['CMD', 'services.web.command[0]'], ['IMG', 'services.api.image'],
    ]);
    for (const u of result.unset) expect({ file: u.file, line: u.line, column: u.column }).toEqual(locate(source, u.path));
  });

  it('turns a template error into an issue located at the value and keeps the original text', () => {
    const result = interpolate([
      'services:',
      '  db:',
      '    environment:',
      '      PASSWORD: ${DB_PASS:?set DB_PASS}',
      '    image: "postgres:${"',
    ].join('\n'));
    expect(result.issues).toEqual([
      expect.objectContaining({
        file: FILE, line: 4, column: 17, path: ['services', 'db', 'environment', 'PASSWORD'],
        message: 'required variable DB_PASS is missing a value: set DB_PASS',
        snippet: '      PASSWORD: ${DB_PASS:?set DB_PASS}',
      }),
      expect.objectContaining({
        file: FILE, line: 5, column: 12, path: ['services', 'db', 'image'],
        message: 'invalid interpolation format for "postgres:${": "${" is not closed by "}"',
        hint: 'use $$ for a literal dollar sign',
      }),
    ]);
    const db = (result.tree as { services: { db: { image: string } } }).services.db;
    expect(db.image).toBe('postgres:${');
  });

  describe('casting interpolated values where the schema expects a number or boolean', () => {
    it.each([
      ['services.*.cpus', 'services: {web: {cpus: $V}}', '0.5', ['services', 'web', 'cpus'], 0.5],
      ['services.*.scale', 'services: {web: {scale: $V}}', '3', ['services', 'web', 'scale'], 3],
      ['services.*.deploy.replicas', 'services: {web: {deploy: {replicas: "${V}"}}}', '2', ['services', 'web', 'deploy', 'replicas'], 2],
      ['services.*.ports.*.target', 'services: {web: {ports: [{target: $V}]}}', '80', ['services', 'web', 'ports', 0, 'target'], 80],
      ['services.*.healthcheck.retries', 'services: {web: {healthcheck: {retries: $V}}}', '5', ['services', 'web', 'healthcheck', 'retries'], 5],
      ['services.*.ulimits.*', 'services: {web: {ulimits: {nproc: $V}}}', '65535', ['services', 'web', 'ulimits', 'nproc'], 65535],
      ['services.*.tty (true)', 'services: {web: {tty: $V}}', 'true', ['services', 'web', 'tty'], true],
      ['services.*.privileged (yes)', 'services: {web: {privileged: $V}}', 'yes', ['services', 'web', 'privileged'], true],
      ['services.*.read_only (off)', 'services: {web: {read_only: $V}}', 'OFF', ['services', 'web', 'read_only'], false],
      ['services.*.init (n)', 'services: {web: {init: $V}}', 'n', ['services', 'web', 'init'], false],
      ['services.*.stdin_open', 'services: {web: {stdin_open: $V}}', 'True', ['services', 'web', 'stdin_open'], true],
      ['services.*.depends_on.*.required', 'services: {web: {depends_on: {db: {required: $V}}}}', 'false', ['services', 'web', 'depends_on', 'db', 'required'], false],
      ['networks.*.external', 'networks: {front: {external: $V}}', 'true', ['networks', 'front', 'external'], true],
      ['volumes.*.external', 'volumes: {data: {external: $V}}', 'true', ['volumes', 'data', 'external'], true],
      ['a lenient field that converts', 'services: {web: {gpus: [{count: $V}]}}', '2', ['services', 'web', 'gpus', 0, 'count'], 2],
    ])('%s', (_pattern, yaml, value, path, expected) => {
      const result = interpolate(yaml, { V: value });
      expect(result.issues).toEqual([]);
      expect(valueAt(result.tree, path)).toBe(expected);
    });

    it.each([
      ['no $ in the original: left for schema validation', 'services: {web: {cpus: "0.5"}}', ['services', 'web', 'cpus'], '0.5'],
      ['no $ in a boolean field', 'services: {web: {tty: "yes"}}', ['services', 'web', 'tty'], 'yes'],
      ['not a cast path', 'services: {web: {image: $V}}', ['services', 'web', 'image'], '42'],
      ['a label named like a cast field', 'services: {web: {labels: {external: $V}}}', ['services', 'web', 'labels', 'external'], '42'],
      ['a lenient field keeps a legitimate string', 'services: {web: {gpus: [{count: "${ALL}"}]}}', ['services', 'web', 'gpus', 0, 'count'], 'all'],
      ['mem_limit keeps its units', 'services: {web: {mem_limit: $MEM}}', ['services', 'web', 'mem_limit'], '512m'],
    ])('does not cast: %s', (_why, yaml, path, expected) => {
      const result = interpolate(yaml, { V: '42', ALL: 'all', MEM: '512m' });
      expect(result.issues).toEqual([]);
      expect(valueAt(result.tree, path)).toBe(expected);
    });

    it.each([
      ['services: {web: {tty: $V}}', 'maybe', '"$V" interpolates to "maybe", which is not a boolean (true or false)'],
      ['services: {web: {scale: $V}}', '1.5', '"$V" interpolates to "1.5", which is not an integer'],
      ['services: {web: {cpus: "${V}"}}', '', '"${V}" interpolates to "", which is not a number'],
    ])('reports an interpolated value that does not convert: %s with %j', (yaml, value, message) => {
      const result = interpolate(yaml, { V: value });
      expect(result.issues).toEqual([expect.objectContaining({ file: FILE, line: 1, message })]);
    });
  });

  it(`stops ${MAX_TREE_DEPTH} levels deep with one issue instead of exhausting the stack`, () => {
    const depth = MAX_TREE_DEPTH + 50;
    const yaml = `${'['.repeat(depth)}$X${']'.repeat(depth)}`;
    const result = interpolate(yaml, { X: 'x' });
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]?.message).toMatch(/nests more than 200 levels deep/);
    expect(result.issues[0]?.path).toHaveLength(MAX_TREE_DEPTH);
  });

  it('handles a large flat tree', () => {
    const lines = ['services:'];
    for (let i = 0; i < 1000; i++) lines.push(`  s${i}: {image: "img:\${TAG}", scale: "\${N}"}`);
    const result = interpolate(lines.join('\n'), { TAG: 't', N: '1' });
    expect(result.issues).toEqual([]);
    expect(valueAt(result.tree, ['services', 's999', 'scale'])).toBe(1);
  });
});

function valueAt(tree: unknown, path: readonly (string | number)[]): unknown {
  let node: unknown = tree;
  for (const part of path) node = (node as Record<string | number, unknown>)[part];
  return node;
}
