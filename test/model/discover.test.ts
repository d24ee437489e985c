// Specification of how the compose files and the project directory are found.
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { COMPOSE_FILE_NAMES, discoverFiles } from '../../src/model/discover.js';

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'gantry-discover-')));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Creates files (and their directories) under the temp root. */
function touch(...paths: string[]): void {
  for (const path of paths) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), 'services: {}\n');
  }
}

const at = (...paths: string[]): string[] => paths.map((path) => join(root, path));

describe('discoverFiles without -f', () => {
  it.each([
    ['compose.yaml', ['compose.yaml'], '.', ['compose.yaml']],
    ['compose.yml', ['compose.yml'], '.', ['compose.yml']],
    ['docker-compose.yaml', ['docker-compose.yaml'], '.', ['docker-compose.yaml']],
    ['docker-compose.yml', ['docker-compose.yml'], '.', ['docker-compose.yml']],
    ['compose.yaml is preferred over docker-compose.yml', ['docker-compose.yml', 'compose.yaml'], '.', ['compose.yaml']],
    ['compose.yaml is preferred over compose.yml', ['compose.yml', 'compose.yaml'], '.', ['compose.yaml']],
    ['the override file is added', ['compose.yaml', 'compose.override.yaml'], '.', ['compose.yaml', 'compose.override.yaml']],
    ['a .yml override goes with a .yaml file', ['compose.yaml', 'compose.override.yml'], '.', ['compose.yaml', 'compose.override.yml']],
    ['a docker-compose override goes with docker-compose.yml', ['docker-compose.yml', 'docker-compose.override.yml'], '.', ['docker-compose.yml', 'docker-compose.override.yml']],
    ['the override of the same family is preferred', ['docker-compose.yml', 'compose.override.yaml', 'docker-compose.override.yml'], '.', ['docker-compose.yml', 'docker-compose.override.yml']],
    ['another family override is used when it is the only one', ['compose.yaml', 'docker-compose.override.yml'], '.', ['compose.yaml', 'docker-compose.override.yml']],
    ['a parent directory is searched', ['compose.yaml'], 'a/b', ['compose.yaml']],
    ['the nearest directory with a file wins', ['compose.yaml', 'a/compose.yml'], 'a/b', ['a/compose.yml']],
    ['an override in a parent of the found file is ignored', ['compose.override.yaml', 'a/compose.yaml'], 'a', ['a/compose.yaml']],
  ])('%s', (_why, files, cwd, expected) => {
    touch(...files);
    mkdirSync(join(root, cwd), { recursive: true });
    const result = discoverFiles({ cwd: join(root, cwd), env: {} });
    expect(result.files).toEqual(at(...expected));
    expect(result.workingDir).toBe(dirname(at(expected[0] ?? '')[0] ?? ''));
  });

  it('notes which file it chose when several names exist', () => {
    touch('compose.yaml', 'docker-compose.yml');
    expect(discoverFiles({ cwd: root, env: {} }).warnings).toEqual([`found compose.yaml, docker-compose.yml in ${root}; using compose.yaml`]);
  });

  it('ignores a directory named like a compose file', () => {
    mkdirSync(join(root, 'compose.yaml'));
    touch('docker-compose.yml');
    expect(discoverFiles({ cwd: root, env: {} }).files).toEqual(at('docker-compose.yml'));
  });

  const ancestorHasComposeFile = (() => {
    for (let dir = realpathSync(tmpdir()); ; dir = dirname(dir)) {
      if (COMPOSE_FILE_NAMES.some((name) => existsSync(join(dir, name)))) return true;
      if (dirname(dir) === dir) return false;
    }
  })();

  it.skipIf(ancestorHasComposeFile)('fails with a usage error when no file exists up to the root', () => {
    const call = () => discoverFiles({ cwd: root, env: {} });
    expect(call).toThrow(UsageError);
    expect(call).toThrow(`no compose file found in ${root} or its parents`);
    try {
      call();
    } catch (error) {
      expect((error as UsageError).hint).toMatch(/compose\.yaml, compose\.yml, docker-compose\.yaml, docker-compose\.yml, or name a file with -f/);
    }
  });
});

describe('discoverFiles with -f or COMPOSE_FILE', () => {
  it.each([
    ['relative -f paths resolve against cwd', { files: ['a.yaml', 'sub/b.yaml'] }, ['a.yaml', 'sub/b.yaml']],
    ['absolute -f paths stay', { files: ['ABS'] }, ['x.yaml']],
    ['no override file is added to -f', { files: ['compose.yaml'] }, ['compose.yaml']],
    ['COMPOSE_FILE stands in for -f', { env: { COMPOSE_FILE: 'a.yaml:sub/b.yaml' } }, ['a.yaml', 'sub/b.yaml']],
    ['COMPOSE_PATH_SEPARATOR changes the separator', { env: { COMPOSE_FILE: 'a.yaml;sub/b.yaml', COMPOSE_PATH_SEPARATOR: ';' } }, ['a.yaml', 'sub/b.yaml']],
    ['empty COMPOSE_FILE entries are skipped', { env: { COMPOSE_FILE: ':a.yaml::' } }, ['a.yaml']],
    ['-f wins over COMPOSE_FILE', { files: ['x.yaml'], env: { COMPOSE_FILE: 'a.yaml' } }, ['x.yaml']],
  ])('%s', (_why, options: { files?: string[]; env?: Record<string, string> }, expected) => {
    touch('a.yaml', 'sub/b.yaml', 'x.yaml', 'compose.yaml', 'compose.override.yaml');
    const files = options.files?.map((file) => (file === 'ABS' ? join(root, 'x.yaml') : file));
    const result = discoverFiles({ cwd: root, env: options.env ?? {}, ...(files ? { files } : {}) });
    expect(result.files).toEqual(at(...expected));
  });

  it.each([
    ['the first file directory', { files: ['sub/b.yaml', 'a.yaml'] }, 'sub'],
    ['--project-directory, resolved against cwd', { files: ['a.yaml'], projectDirectory: 'elsewhere' }, 'elsewhere'],
    ['cwd for standard input', { files: ['-'] }, '.'],
  ])('the working directory is %s', (_why, options: { files: string[]; projectDirectory?: string }, expected) => {
    touch('a.yaml', 'sub/b.yaml');
    const result = discoverFiles({ cwd: root, env: {}, ...options });
    expect(result.workingDir).toBe(join(root, expected));
  });

  it("keeps '-' (standard input) as it is", () => {
    touch('a.yaml');
    expect(discoverFiles({ cwd: root, env: {}, files: ['-', 'a.yaml'] }).files).toEqual(['-', join(root, 'a.yaml')]);
  });

  it.each([
    ['-f', { files: ['missing.yaml'] }, /check the path given with -f/],
    ['COMPOSE_FILE', { env: { COMPOSE_FILE: 'missing.yaml' } }, /check COMPOSE_FILE/],
  ])('names a %s file that does not exist', (_origin, options: { files?: string[]; env?: Record<string, string> }, hint) => {
    const call = () => discoverFiles({ cwd: root, env: options.env ?? {}, ...(options.files ? { files: options.files } : {}) });
    expect(call).toThrow(UsageError);
    expect(call).toThrow(`compose file not found: ${join(root, 'missing.yaml')}`);
    try {
      call();
    } catch (error) {
      expect((error as UsageError).hint).toMatch(hint);
    }
  });
});
