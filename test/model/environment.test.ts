// Specification of where interpolation variables and service env_file values come from.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { createInterpolationEnv, defaultEnvFiles, readServiceEnvFiles } from '../../src/model/environment.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gantry-env-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('createInterpolationEnv', () => {
  it.each([
    ['shell only', { SHELL_ONLY: 's' }, [], 'SHELL_ONLY', 's', 'shell'],
    ['file only', {}, [['a.env', 'A=1']], 'A', '1', 'a.env'],
    ['the shell wins over a file', { A: 'shell' }, [['a.env', 'A=file']], 'A', 'shell', 'shell'],
    ['an empty shell value still wins', { A: '' }, [['a.env', 'A=file']], 'A', '', 'shell'],
    ['a later file wins over an earlier one', {}, [['a.env', 'A=1'], ['b.env', 'A=2']], 'A', '2', 'b.env'],
    ['an earlier file still provides what a later one lacks', {}, [['a.env', 'A=1'], ['b.env', 'B=2']], 'A', '1', 'a.env'],
    ['a later file may use an earlier one', {}, [['a.env', 'A=1'], ['b.env', 'B=${A}0']], 'B', '10', 'b.env'],
    ['a file may use the shell', { HOST: 'db' }, [['a.env', 'URL=pg://${HOST}']], 'URL', 'pg://db', 'a.env'],
    ['unknown everywhere', {}, [['a.env', 'A=1']], 'NOPE', undefined, undefined],
    ['inherited Object properties are not variables', {}, [], 'constructor', undefined, undefined],
  ] as const)('%s', (_why, shellEnv, files, name, value, source) => {
    const envFiles = files.map(([file, text]) => write(file, text));
    const env = createInterpolationEnv({ shellEnv, envFiles });
    expect(env.lookup(name)).toBe(value);
    expect(env.sourceOf(name)).toBe(source === undefined || source === 'shell' ? source : join(dir, source));
  });

  it('treats an undefined shell value as unset', () => {
    const env = createInterpolationEnv({ shellEnv: { A: undefined }, envFiles: [write('a.env', 'A=file')] });
    expect(env.lookup('A')).toBe('file');
  });

  it('names a missing env file', () => {
    const missing = join(dir, 'nope.env');
    expect(() => createInterpolationEnv({ shellEnv: {}, envFiles: [missing] })).toThrow(ConfigError);
    expect(() => createInterpolationEnv({ shellEnv: {}, envFiles: [missing] })).toThrow(`env file ${missing} not found`);
  });

  it('passes on a parse error with its location', () => {
    const file = write('bad.env', 'A=1\n=oops');
    try {
      createInterpolationEnv({ shellEnv: {}, envFiles: [file] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues[0]).toMatchObject({ file, line: 2, column: 1 });
    }
  });
});

describe('defaultEnvFiles', () => {
  it('is the project directory .env when it exists', () => {
    const file = write('.env', 'A=1');
    expect(defaultEnvFiles(dir)).toEqual([file]);
  });

  it.each([
    ['there is no .env', () => undefined],
    ['.env is a directory', () => mkdirSync(join(dir, '.env'))],
  ])('is empty when %s', (_why, arrange) => {
    arrange();
    expect(defaultEnvFiles(dir)).toEqual([]);
  });
});

describe('readServiceEnvFiles', () => {
  const lookup = (name: string): string | undefined => ({ FROM_PROJECT: 'p' } as Record<string, string>)[name];

  it('combines the files, later ones winning, with KEY alone taken from the lookup', () => {
    const a = write('a.env', 'A=1\nB=1\nFROM_PROJECT\nNOT_SET');
    const b = write('b.env', 'B=2\nC=${FROM_PROJECT}');
    const result = readServiceEnvFiles([{ path: a, required: true }, { path: b, required: true }], lookup);
    expect(result).toEqual({ environment: { A: '1', B: '2', FROM_PROJECT: 'p', C: 'p' }, issues: [] });
  });

  it.each([
    ['a missing required file is an issue naming it', true, 1],
    ['a missing optional file is skipped', false, 0],
  ])('%s', (_why, required, issueCount) => {
    const present = write('present.env', 'A=1');
    const missing = join(dir, 'missing.env');
    const result = readServiceEnvFiles([{ path: missing, required }, { path: present, required: true }], lookup);
    expect(result.environment).toEqual({ A: '1' });
    expect(result.issues).toHaveLength(issueCount);
    if (issueCount > 0) expect(result.issues[0]).toMatchObject({ file: missing, message: `env file ${missing} not found` });
  });

  it('collects broken lines from every file and keeps reading', () => {
    const bad1 = write('bad1.env', 'KEY WITH SPACE=1');
    const good = write('good.env', 'A=1');
    const bad2 = write('bad2.env', 'B="open');
    const result = readServiceEnvFiles([bad1, good, bad2].map((path) => ({ path, required: true })), lookup);
    expect(result.environment).toEqual({ A: '1' });
    expect(result.issues.map((i) => [i.file, i.line, i.column])).toEqual([[bad1, 1, 4], [bad2, 1, 3]]);
  });

  it('reports a directory even when the entry is optional', () => {
    mkdirSync(join(dir, 'sub.env'));
    const result = readServiceEnvFiles([{ path: join(dir, 'sub.env'), required: false }], lookup);
    expect(result.issues[0]?.message).toMatch(/is a directory/);
  });

  it('keeps a variable named __proto__ as an ordinary key', () => {
    const result = readServiceEnvFiles([{ path: write('p.env', '__proto__=x'), required: true }], lookup);
    expect(Object.getPrototypeOf(result.environment)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(result.environment, '__proto__')?.value).toBe('x');
  });
});
