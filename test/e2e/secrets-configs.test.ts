// Secrets and configs on the real engine: a host file (bind mount), a variable of the
// interpolation environment and inline content (both copied in before start) all reach the
// container, with the long syntax's target, owner and mode; a new value recreates the container;
// an unset variable or a missing file stops `up` before anything is created; and no value shows
// in Gantry's output.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gantryIn, gantryOk, identity, projectLeftovers, testdata, useEmptyDir } from '../support/engine-state.js';
import { TEST_IMAGE, dockerOk, eventually, useProject } from '../support/project.js';

const dir = testdata('secrets-configs');

/** Fresh values for the two variables the file reads (the shell wins over the file's .env). */
function freshValues(): { GANTRY_TEST_API_KEY: string; GANTRY_TEST_CONFIG: string } {
  return { GANTRY_TEST_API_KEY: `key-${randomBytes(8).toString('hex')}`, GANTRY_TEST_CONFIG: `conf-${randomBytes(8).toString('hex')}` };
}

async function readIn(container: string, file: string): Promise<string> {
  return (await dockerOk(['exec', container, 'cat', file])).trim();
}

describe('secrets and configs', () => {
  it('reach the container from a file, a variable and inline content, with target, owner and mode', async () => {
    const project = useProject();
    const env = freshValues();
    const up = await gantryOk(dir, ['-p', project, '--progress', 'plain', 'up', '-d'], env);
    const app = `${project}-app-1`;
    const expected: Record<string, string> = {
      '/run/secrets/token': 'token-from-file',
      '/run/secrets/api_key': env.GANTRY_TEST_API_KEY,
      '/run/secrets/owned': env.GANTRY_TEST_API_KEY,
      '/etc/app.conf': 'conf-from-file',
      '/inline.txt': 'inline revision 1',
      '/etc/fromenv.conf': env.GANTRY_TEST_CONFIG,
    };
    for (const [file, content] of Object.entries(expected)) expect(await readIn(app, file), file).toBe(content);
    // The service read them at its start, so they were there before it ran.
    const logs = await eventually(async () => {
      const text = await dockerOk(['logs', app]);
      expect(text).toContain('/etc/fromenv.conf=');
      return text;
    });
    for (const [file, content] of Object.entries(expected)) expect(logs).toContain(`${file}=${content}`);
    const modes = await dockerOk(['exec', app, 'stat', '-c', '%n %u:%g %a', '/run/secrets/owned', '/run/secrets/api_key', '/inline.txt']);
    expect(modes.trim().split('\n')).toEqual(['/run/secrets/owned 1000:1001 400', '/run/secrets/api_key 0:0 444', '/inline.txt 0:0 444']);

    const config = await gantryOk(dir, ['-p', project, 'config'], env);
    expect(config.stdout).toContain('environment: GANTRY_TEST_API_KEY');
    expect(config.stdout).toContain('environment: GANTRY_TEST_CONFIG');
    const inspected = await dockerOk(['container', 'inspect', app]);
    for (const value of [env.GANTRY_TEST_API_KEY, env.GANTRY_TEST_CONFIG]) {
      for (const [what, text] of [['up stdout', up.stdout], ['up stderr', up.stderr], ['config', config.stdout], ['inspect', inspected]] as const) {
        expect(text, `${what} shows a copied value`).not.toContain(value);
      }
    }
  });

  it('recreate the container when a copied value changes, and keep it when nothing does', async () => {
    const project = useProject();
    const env = freshValues();
    const app = `${project}-app-1`;
    await gantryOk(dir, ['-p', project, 'up', '-d'], env);
    const first = await identity(app);
    await gantryOk(dir, ['-p', project, 'up', '-d'], env);
    expect((await identity(app)).id).toBe(first.id);

    await gantryOk(dir, ['-p', project, 'up', '-d'], { ...env, GANTRY_TEST_REVISION: '2' });
    const second = await identity(app);
    expect(second.id).not.toBe(first.id);
    expect(await readIn(app, '/inline.txt')).toBe('inline revision 2');

    const rotated = freshValues().GANTRY_TEST_API_KEY;
    await gantryOk(dir, ['-p', project, 'up', '-d'], { ...env, GANTRY_TEST_REVISION: '2', GANTRY_TEST_API_KEY: rotated });
    expect((await identity(app)).id).not.toBe(second.id);
    expect(await readIn(app, '/run/secrets/api_key')).toBe(rotated);
  });

  it('reach a one-off `run` container too', async () => {
    const project = useProject();
    const env = freshValues();
    const result = await gantryOk(dir, ['-p', project, 'run', '--rm', '-T', 'app', 'cat', '/run/secrets/api_key', '/etc/fromenv.conf', '/inline.txt'], env);
    expect(result.stdout).toBe(`${env.GANTRY_TEST_API_KEY}${env.GANTRY_TEST_CONFIG}inline revision 1`);
    expect(result.stderr).not.toContain(env.GANTRY_TEST_API_KEY);
  });

  it('leave no one-off container behind when they cannot be copied in (a read-only root file system)', async () => {
    const project = useProject();
    const work = useEmptyDir();
    writeFileSync(path.join(work, 'compose.yaml'), `services:\n  app:\n    image: ${TEST_IMAGE}\n    read_only: true\n    configs: [inline]\nconfigs:\n  inline:\n    content: "x"\n`);
    const result = await gantryIn(work, ['-p', project, 'run', '--rm', '-T', 'app', 'true']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/read-only/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await dockerOk(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`])).toBe('');
  });

  it('stop `up` before anything is created when a variable they read is not set', async () => {
    const project = useProject();
    const work = useEmptyDir();
    const empty = path.join(work, 'empty.env');
    writeFileSync(empty, '');
    // --env-file replaces the scenario's .env, which sets both variables.
    const result = await gantryIn(dir, ['-p', project, '--env-file', empty, 'up', '-d'], { GANTRY_TEST_CONFIG: 'set' });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('error: secret "api_key" takes its value from the variable GANTRY_TEST_API_KEY, which is not set');
    expect(result.stderr).toContain('set GANTRY_TEST_API_KEY in the environment');
    expect(await projectLeftovers(project)).toEqual([]);
  });

  it('stop `up` before anything is created when a host file is missing', async () => {
    const project = useProject();
    const work = useEmptyDir();
    writeFileSync(path.join(work, 'compose.yaml'), `services:\n  app:\n    image: ${TEST_IMAGE}\n    secrets: [token]\nsecrets:\n  token:\n    file: ./missing.txt\n`);
    const result = await gantryIn(work, ['-p', project, 'up', '-d']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(`error: secret "token": file ${path.join(work, 'missing.txt')} not found`);
    expect(await projectLeftovers(project)).toEqual([]);
  });
});
