// Specification of `extends`: inheritance in one file, across files and in chains, with the
// merge rules of the spec, and located errors for cycles and missing services or files.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { canonicalizeTree } from '../../src/model/canonical.js';
import { resolveExtends } from '../../src/model/extends.js';
import { parseSource, type SourceFile } from '../../src/model/source.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const testdata = resolve(repoRoot, '../shared/corpus/compose-go/loader/testdata');

type Files = Record<string, string>;

/** Canonicalizes a file against its own directory, as the loader does for extended files. */
function loadFrom(files: Files) {
  return (path: string): { tree: Record<string, unknown>; source: SourceFile } => {
    const text = files[path] ?? readDisk(path);
    const source = parseSource(path, text);
    return { tree: canonicalizeTree(source.tree as Record<string, unknown>, { source, workingDir: dirname(path), homeDir: '/home/me' }).tree, source };
  };
}

function readDisk(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError([{ file: path, line: 0, column: 0, path: [], message: `cannot read ${path}: no such file` }]);
  }
}

function extend(main: string, files: Files = {}) {
  const all = { ...files, [main]: files[main] ?? readDisk(main) };
  const loadFile = loadFrom(all);
  const { tree, source } = loadFile(main);
  const result = resolveExtends(tree, { source, loadFile });
  return { services: result.tree.services as Record<string, Record<string, unknown>>, issues: result.issues, input: tree };
}

const one = (yaml: string) => extend('/p/compose.yaml', { '/p/compose.yaml': yaml });

describe('resolveExtends in one file', () => {
  it('follows chains: cli gets user from base through common (spec example)', () => {
    const { services, issues } = one('services:\n  base: {image: busybox, user: root}\n  common: {image: busybox, extends: {service: base}}\n  cli: {extends: {service: common}}\n');
    expect(issues).toEqual([]);
    expect(services.cli).toEqual({ image: 'busybox', user: 'root' });
    expect(services.common).toEqual({ image: 'busybox', user: 'root' });
    expect(services.base).toEqual({ image: 'busybox', user: 'root' });
  });

  it.each([
    ['mappings: the main service wins key by key (spec example)', 'environment: {TZ: utc, PORT: 80}', 'environment: [PORT=8080]', { environment: { TZ: 'utc', PORT: '8080' } }],
    ['volumes are keyed by target (spec example)', 'volumes: ["common-volume:/var/lib/backup/data:rw"]', 'volumes: ["cli-volume:/var/lib/backup/data:ro"]', {
      volumes: [{ type: 'volume', source: 'cli-volume', target: '/var/lib/backup/data', read_only: true, volume: {} }],
    }],
    ['sequences combine, base first, without duplicates (spec example)', 'security_opt: ["label:role:ROLE"]', 'security_opt: ["label:user:USER", "label:role:ROLE"]', { security_opt: ['label:role:ROLE', 'label:user:USER'] }],
    ['scalars: the main service wins', 'image: a', 'image: b', { image: 'b' }],
    ['command is replaced', 'command: echo a', 'command: echo b', { command: ['echo', 'b'] }],
    ['depends_on is inherited, as compose v2 does', 'depends_on: [db]', 'image: x', { depends_on: { db: { condition: 'service_started', required: true, restart: false } }, image: 'x' }],
  ])('%s', (_name, base, main, expected) => {
    const { services, issues } = one(`services:\n  common: {${base}}\n  cli: {extends: common, ${main}}\n`);
    expect(issues).toEqual([]);
    expect(services.cli).toEqual(expected);
  });

  it('honours !reset on the extending service (compose-go fixture extends/reset.yaml)', () => {
    const { services, issues } = extend(resolve(testdata, 'extends/reset.yaml'));
    expect(issues).toEqual([]);
    expect(services.base).toEqual({ image: 'alpine:latest' });
  });

  it('does not change its input', () => {
    const source = 'services:\n  a: {image: x, ports: ["80"]}\n  b: {extends: a, ports: ["81"]}\n';
    const { input } = one(source);
    const copy = structuredClone(input);
    resolveExtends(input, { source: parseSource('/p/compose.yaml', source), loadFile: loadFrom({}) });
    expect(input).toEqual(copy);
  });

  it.each([
    ['a service extending itself', 'services:\n  a: {image: x, extends: a}\n', 'a', 'extends cycle: a → a'],
    ['a loop of two', 'services:\n  a: {extends: b}\n  b: {extends: a}\n', 'a', 'extends cycle: a → b → a'],
  ])('reports %s at its extends', (_name, yaml, service, message) => {
    const { issues } = one(yaml);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: '/p/compose.yaml', path: ['services', service, 'extends'], message });
  });

  it('reports a missing service at extends.service', () => {
    const { issues, services } = one('services:\n  web:\n    image: x\n    extends:\n      service: bsae\n');
    expect(issues).toEqual([expect.objectContaining({ line: 5, column: 16, path: ['services', 'web', 'extends', 'service'], message: 'cannot extend service "web": service "bsae" not found' })]);
    expect(services.web).toEqual({ image: 'x' });
  });
});

describe('resolveExtends across files', () => {
  it('resolves the other file relative to its own directory (compose-test-extends.yaml)', () => {
    const { services, issues } = extend(resolve(testdata, 'compose-test-extends.yaml'));
    expect(issues).toEqual([]);
    expect(services.importer).toMatchObject({
      image: 'nginx',
      env_file: [{ path: resolve(testdata, 'subdir/extra.env'), required: true }],
      volumes: [{ type: 'bind', source: '/opt/data', target: '/var/lib/mysql', bind: { create_host_path: true } }],
    });
  });

  it('follows a chain through several files and directories (extends/withdir)', () => {
    const { services, issues } = extend(resolve(testdata, 'extends/withdir/compose.yaml'));
    expect(issues).toEqual([]);
    expect(services.test).toEqual({ image: 'hello-world' });
  });

  it('keeps a URL build context as it is', () => {
    const { services } = extend(resolve(testdata, 'compose-test-extends-with-context-url.yaml'));
    expect(services['importer-with-https-url']?.build).toEqual({ context: 'https://github.com/docker/compose.git', dockerfile: 'Dockerfile' });
  });

  it('resolves a relative build context in the extended file against that file (extends/base.yaml → sibling.yaml)', () => {
    const { services, issues } = extend(resolve(testdata, 'extends/base.yaml'));
    expect(issues).toEqual([]);
    expect(services['with-build']?.build).toEqual({ context: resolve(testdata, 'extends'), dockerfile: 'Dockerfile' });
    expect(services.another).toEqual({ image: 'base' });
  });

  it('merges ports from the other file uniquely', () => {
    const { services } = extend('/p/compose.yaml', {
      '/p/compose.yaml': `services:\n  web:\n    extends: {file: ${resolve(testdata, 'extends/ports.yaml')}, service: test}\n    ports: ["8080:8080", "9090:90"]\n`,
    });
    expect(services.web?.ports).toEqual([
      { mode: 'ingress', target: 8080, published: '8080', protocol: 'tcp' },
      { mode: 'ingress', target: 90, published: '9090', protocol: 'tcp' },
    ]);
  });

  it('reports a cycle that crosses files, naming the files', () => {
    const { issues } = extend('/p/a.yaml', {
      '/p/a.yaml': 'services:\n  web: {extends: {file: b.yaml, service: base}}\n',
      '/p/b.yaml': 'services:\n  base: {extends: {file: a.yaml, service: web}}\n',
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toBe('extends cycle: web → base (/p/b.yaml) → web');
  });

  it('reports a missing file at extends.file, and a missing service with the file it looked in', () => {
    const { issues } = extend('/p/compose.yaml', {
      '/p/compose.yaml': 'services:\n  a:\n    extends: {file: ./nope.yaml, service: x}\n  b:\n    extends: {file: other.yaml, service: y}\n',
      '/p/other.yaml': 'services:\n  x: {image: x}\n',
    });
    expect(issues).toEqual([
      expect.objectContaining({ path: ['services', 'a', 'extends', 'file'], line: 3, message: 'cannot extend service "a": cannot read /p/nope.yaml: no such file' }),
      expect.objectContaining({ path: ['services', 'b', 'extends', 'service'], line: 5, message: 'cannot extend service "b": service "y" not found in /p/other.yaml' }),
    ]);
  });

  it('keeps syntax errors inside the other file at their own location', () => {
    const { issues } = extend('/p/compose.yaml', {
      '/p/compose.yaml': 'services:\n  a:\n    extends: {file: bad.yaml, service: x}\n',
      '/p/bad.yaml': 'services:\n  x: [\n',
    });
    expect(issues[0]).toMatchObject({ file: '/p/bad.yaml' });
    expect(issues[0]?.line).toBeGreaterThan(0);
  });
});
