// Specification of `include`: other applications loaded with their own project directory, their
// resources copied in, conflicts and cycles reported where the include is written.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigIssue } from '../../src/errors.js';
import { canonicalizeTree } from '../../src/model/canonical.js';
import { resolveIncludes } from '../../src/model/include.js';
import { mergeTrees } from '../../src/model/merge.js';
import { readSource } from '../../src/model/source.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const testdata = resolve(repoRoot, '../shared/corpus/compose-go/loader/testdata');

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** Writes files under a fresh temp directory and returns its path. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-include-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

interface LoadCall {
  files: string[];
  projectDirectory: string;
  envFiles: string[];
}

/** A small stand-in for the loader: read → canonicalize → include → merge, recursively. */
function load(main: string) {
  const issues: ConfigIssue[] = [];
  const calls: LoadCall[] = [];
  const loadFiles = (files: string[], projectDirectory: string, seen: readonly string[]): Record<string, unknown> => {
    let merged: Record<string, unknown> = {};
    for (const file of files) {
      const source = readSource(file);
      const tree = canonicalizeTree(source.tree as Record<string, unknown>, { source, workingDir: projectDirectory, homeDir: '/home/me' }).tree;
      const included = resolveIncludes(tree, {
        source,
        seen,
        workingDir: projectDirectory,
        loadProject: (nested, dir, envFiles) => {
          calls.push({ files: nested, projectDirectory: dir, envFiles });
          return { tree: loadFiles(nested, dir, [...seen, file]) };
        },
      });
      issues.push(...included.issues);
      merged = mergeTrees(merged, included.tree, source.tags);
    }
    return merged;
  };
  const tree = loadFiles([main], dirname(main), []);
  return { tree, issues, calls, services: (tree.services ?? {}) as Record<string, Record<string, unknown>> };
}

describe('resolveIncludes', () => {
  it('copies services, networks and volumes in and resolves their paths against the included directory', () => {
    const dir = project({
      'compose.yaml': 'include:\n  - sub/compose.yaml\nservices:\n  web: {image: web, depends_on: [db]}\n',
      'sub/compose.yaml': 'services:\n  db: {image: pg, volumes: ["./data:/data", "db:/var/lib"]}\nvolumes:\n  db:\nnetworks:\n  back:\n',
    });
    const { tree, issues, calls } = load(join(dir, 'compose.yaml'));
    expect(issues).toEqual([]);
    expect(tree.include).toBeUndefined();
    expect(Object.keys(tree.services as object)).toEqual(['web', 'db']);
    expect((tree.services as Record<string, Record<string, unknown>>).db?.volumes).toEqual([
      { type: 'bind', source: join(dir, 'sub/data'), target: '/data', bind: { create_host_path: true } },
      { type: 'volume', source: 'db', target: '/var/lib', volume: {} },
    ]);
    expect(tree.volumes).toEqual({ db: {} });
    expect(tree.networks).toEqual({ back: {} });
    expect(calls).toEqual([{ files: [join(dir, 'sub/compose.yaml')], projectDirectory: join(dir, 'sub'), envFiles: [] }]);
  });

  it('honours project_directory and env_file of the long syntax (compose-go include/project-directory.yaml)', () => {
    const { services, issues, calls } = load(resolve(testdata, 'include/project-directory.yaml'));
    expect(issues).toEqual([]);
    expect(calls[0]).toEqual({ files: [resolve(testdata, 'include/dir/compose.yaml')], projectDirectory: resolve(testdata, 'subdir'), envFiles: [] });
    expect(services.service?.env_file).toEqual([{ path: resolve(testdata, 'subdir/extra.env'), required: true }]);
  });

  it('merges a list of paths into one included model and passes env files as absolute paths', () => {
    const dir = project({
      'compose.yaml': 'include:\n  - path: [lib/base.yaml, lib/override.yaml]\n    env_file: [lib/.env, /etc/extra.env]\n',
      'lib/base.yaml': 'services:\n  api: {image: api, ports: ["80"]}\n',
      'lib/override.yaml': 'services:\n  api: {ports: ["81"]}\n',
    });
    const { services, issues, calls } = load(join(dir, 'compose.yaml'));
    expect(issues).toEqual([]);
    expect((services.api?.ports as unknown[]).length).toBe(2);
    expect(calls[0]?.envFiles).toEqual([join(dir, 'lib/.env'), '/etc/extra.env']);
  });

  it('follows includes of includes', () => {
    const dir = project({
      'compose.yaml': 'include: [a/compose.yaml]\n',
      'a/compose.yaml': 'include: [../b/compose.yaml]\nservices:\n  a: {image: a}\n',
      'b/compose.yaml': 'services:\n  b: {image: b}\n',
    });
    const { services, issues } = load(join(dir, 'compose.yaml'));
    expect(issues).toEqual([]);
    expect(Object.keys(services).sort()).toEqual(['a', 'b']);
  });

  it('accepts the same definition from two includes (a shared common file)', () => {
    const dir = project({
      'compose.yaml': 'include: [one.yaml, two.yaml]\n',
      'one.yaml': 'include: [common.yaml]\nservices:\n  one: {image: one}\n',
      'two.yaml': 'include: [common.yaml]\nservices:\n  two: {image: two}\n',
      'common.yaml': 'services:\n  redis: {image: redis}\n',
    });
    const { services, issues } = load(join(dir, 'compose.yaml'));
    expect(issues).toEqual([]);
    expect(Object.keys(services).sort()).toEqual(['one', 'redis', 'two']);
  });

  it('reports a resource defined locally and in an include, at the local definition', () => {
    const dir = project({
      'compose.yaml': 'include:\n  - other.yaml\nservices:\n  web:\n    image: mine\n',
      'other.yaml': 'services:\n  web: {image: theirs}\n',
    });
    const { issues, services } = load(join(dir, 'compose.yaml'));
    expect(issues).toEqual([expect.objectContaining({
      file: join(dir, 'compose.yaml'), line: 4, column: 3, path: ['services', 'web'],
      message: `service "web" is defined in both ${join(dir, 'compose.yaml')} and ${join(dir, 'other.yaml')}`,
    })]);
    expect(services.web).toEqual({ image: 'mine' });
  });

  it('reports a resource defined by two includes, at the second include', () => {
    const dir = project({
      'compose.yaml': 'include:\n  - a.yaml\n  - b.yaml\n',
      'a.yaml': 'networks:\n  shared: {driver: bridge}\n',
      'b.yaml': 'networks:\n  shared: {driver: overlay}\n',
    });
    const { issues } = load(join(dir, 'compose.yaml'));
    expect(issues).toEqual([expect.objectContaining({ line: 3, path: ['include', 1], message: `network "shared" is defined in both ${join(dir, 'a.yaml')} and ${join(dir, 'b.yaml')}` })]);
  });

  it('reports a file that includes itself (compose-go compose-include-cycle.yaml)', () => {
    const file = resolve(testdata, 'compose-include-cycle.yaml');
    const { issues, services } = load(file);
    expect(issues).toEqual([expect.objectContaining({ file, line: 2, path: ['include', 0], message: `include cycle: ${file} → ${file}` })]);
    expect(Object.keys(services)).toEqual(['foo']);
  });

  it('reports a cycle through other files with the whole loop', () => {
    const dir = project({
      'compose.yaml': 'include: [a.yaml]\n',
      'a.yaml': 'include: [b.yaml]\n',
      'b.yaml': 'include: [a.yaml]\n',
    });
    const { issues } = load(join(dir, 'compose.yaml'));
    const [a, b] = [join(dir, 'a.yaml'), join(dir, 'b.yaml')];
    expect(issues).toEqual([expect.objectContaining({ file: b, path: ['include', 0], message: `include cycle: ${a} → ${b} → ${a}` })]);
  });

  it('reports a missing file at the include entry', () => {
    const dir = project({ 'compose.yaml': 'services:\n  web: {image: w}\ninclude:\n  - path: missing.yaml\n' });
    const { issues } = load(join(dir, 'compose.yaml'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: join(dir, 'compose.yaml'), line: 4, path: ['include', 0] });
    expect(issues[0]?.message).toContain(`cannot include ${join(dir, 'missing.yaml')}`);
  });

  it('returns the tree unchanged (but a copy) when there is nothing to include', () => {
    const dir = project({ 'compose.yaml': 'services:\n  web: {image: w}\n' });
    expect(load(join(dir, 'compose.yaml')).tree).toEqual({ services: { web: { image: 'w' } } });
  });
});
