// Specification of where compose's own settings come from: COMPOSE_FILE and COMPOSE_PATH_SEPARATOR
// in the project's .env name the files (the shell wins, --env-file replaces .env), and the .env
// next to the files found adds what the first one left unset.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../src/errors.js';
import { readEarlyEnv, resolveProjectEnv, type ProjectEnvOptions } from '../../src/model/project-env.js';

let root: string;
beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'gantry-project-env-')));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Writes files under the temp root; a .yaml without content gets an empty services map. */
function write(files: Readonly<Record<string, string>>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const at = (...paths: string[]): string[] => paths.map((path) => join(root, path));
const SERVICES = 'services: {}\n';
const resolveIn = (cwd: string, options: Partial<ProjectEnvOptions> = {}) => resolveProjectEnv({ cwd: join(root, cwd), env: {}, ...options });

describe('COMPOSE_FILE from the project\'s .env', () => {
  it('names the files, relative to the working directory, and the project directory follows them', () => {
    write({ '.env': 'COMPOSE_FILE=app/base.yaml:app/extra.yaml\n', 'compose.yaml': SERVICES, 'app/base.yaml': SERVICES, 'app/extra.yaml': SERVICES });
    const { discovered } = resolveIn('.');
    expect(discovered.files).toEqual(at('app/base.yaml', 'app/extra.yaml'));
    expect(discovered.workingDir).toBe(join(root, 'app'));
  });

  it('splits at COMPOSE_PATH_SEPARATOR, also from .env', () => {
    write({ '.env': 'COMPOSE_PATH_SEPARATOR=;\nCOMPOSE_FILE=a.yaml;b.yaml\n', 'a.yaml': SERVICES, 'b.yaml': SERVICES });
    expect(resolveIn('.').discovered.files).toEqual(at('a.yaml', 'b.yaml'));
  });

  it('loses to the shell\'s COMPOSE_FILE, and to -f', () => {
    write({ '.env': 'COMPOSE_FILE=a.yaml\n', 'a.yaml': SERVICES, 'b.yaml': SERVICES, 'c.yaml': SERVICES });
    expect(resolveIn('.', { env: { COMPOSE_FILE: 'b.yaml' } }).discovered.files).toEqual(at('b.yaml'));
    expect(resolveIn('.', { files: ['c.yaml'] }).discovered.files).toEqual(at('c.yaml'));
  });

  it('is not read from .env when --env-file is given: the env file replaces it', () => {
    write({ '.env': 'COMPOSE_FILE=a.yaml\n', 'other.env': 'COMPOSE_FILE=b.yaml\n', 'plain.env': 'X=1\n', 'a.yaml': SERVICES, 'b.yaml': SERVICES, 'compose.yaml': SERVICES });
    expect(resolveIn('.', { envFiles: ['other.env'] }).discovered.files).toEqual(at('b.yaml'));
    const plain = resolveIn('.', { envFiles: ['plain.env'] });
    expect(plain.discovered.files).toEqual(at('compose.yaml'));
    expect(plain.envFiles).toEqual(at('plain.env'));
    expect(plain.interpolation.lookup('COMPOSE_FILE')).toBeUndefined();
  });

  it('is read from the .env of --project-directory, or of the first -f file\'s directory, before the files are known', () => {
    write({ 'proj/.env': 'COMPOSE_FILE=a.yaml\n', 'a.yaml': SERVICES, 'proj/compose.yaml': SERVICES, 'proj/x.yaml': SERVICES });
    expect(resolveIn('.', { projectDirectory: 'proj' }).discovered.files).toEqual(at('a.yaml'));
    // -f wins over COMPOSE_FILE, but the .env beside the first file is still the one read.
    const beside = resolveIn('.', { files: ['proj/x.yaml'] });
    expect(beside.envFiles).toEqual(at('proj/.env'));
    expect(beside.interpolation.lookup('COMPOSE_FILE')).toBe('a.yaml');
  });

  it('names a file that does not exist as COMPOSE_FILE\'s', () => {
    write({ '.env': 'COMPOSE_FILE=missing.yaml\n' });
    expect(() => resolveIn('.')).toThrow(UsageError);
    expect(() => resolveIn('.')).toThrow(`compose file not found: ${join(root, 'missing.yaml')}`);
  });
});

describe('the .env next to the files found', () => {
  it('adds the variables the first .env left unset; the first wins, the shell over both', () => {
    write({ '.env': 'COMPOSE_FILE=app/compose.yaml\nWHO=root\n', 'app/.env': 'WHO=app\nONLY=app-${WHO}\nCOMPOSE_PROJECT_NAME=from-app\n', 'app/compose.yaml': SERVICES });
    const { envFiles, interpolation } = resolveIn('.', { env: { SHELL_ONLY: 'shell' } });
    expect(envFiles).toEqual(at('.env', 'app/.env'));
    expect(interpolation.lookup('WHO')).toBe('root');
    expect(interpolation.lookup('ONLY')).toBe('app-root');
    expect(interpolation.lookup('COMPOSE_PROJECT_NAME')).toBe('from-app');
    expect(interpolation.sourceOf('WHO')).toBe(join(root, '.env'));
    expect(interpolation.sourceOf('ONLY')).toBe(join(root, 'app/.env'));
    expect(resolveIn('.', { env: { WHO: 'shell' } }).interpolation.lookup('WHO')).toBe('shell');
  });

  it('is the only one read when the working directory has none (a compose file found in a parent)', () => {
    write({ '.env': 'WHO=root\n', 'compose.yaml': SERVICES, 'a/b/keep': '' });
    const { envFiles, interpolation, discovered } = resolveIn('a/b');
    expect(discovered.workingDir).toBe(root);
    expect(envFiles).toEqual(at('.env'));
    expect(interpolation.lookup('WHO')).toBe('root');
  });
});

describe('readEarlyEnv', () => {
  it('reads COMPOSE_PROJECT_NAME from .env even when no compose file can be found', () => {
    write({ '.env': 'COMPOSE_PROJECT_NAME=from-dotenv\n' });
    expect(readEarlyEnv({ cwd: root, env: {} }).interpolation.lookup('COMPOSE_PROJECT_NAME')).toBe('from-dotenv');
    expect(readEarlyEnv({ cwd: root, env: { COMPOSE_PROJECT_NAME: 'shell' } }).interpolation.lookup('COMPOSE_PROJECT_NAME')).toBe('shell');
  });

  it('refuses a broken .env with its location', () => {
    write({ '.env': 'BROKEN\n' });
    expect(() => readEarlyEnv({ cwd: root, env: {} })).toThrow(ConfigError);
  });
});
