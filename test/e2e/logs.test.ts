// `gantry logs` on the real engine: prefixes, stdout and stderr apart, --tail, -t,
// --no-log-prefix, service and --index filters, -p without a file, and -f following new lines
// and the containers of a recreated service until Ctrl-C (exit 130, as docker compose).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantryIn, gantryOk, inspectContainer, testdata, useEmptyDir } from '../support/engine-state.js';
import { startGantry } from '../support/gantry-process.js';
import { docker, eventually, removeProject, runGantry, uniqueProjectName, useProject } from '../support/project.js';

describe('logs of a running stack', () => {
  const dir = testdata('logs-stack');
  const project = uniqueProjectName();
  beforeAll(async () => {
    const r = await gantryIn(dir, ['-p', project, 'up', '-d']);
    if (r.code !== 0) throw new Error(`up failed (${r.code}):\n${r.stderr}`);
    // All have printed everything once the one-shots have exited and alpha's last line is in its log.
    await eventually(async () => {
      for (const name of ['beta', 'errant']) expect((await inspectContainer(`${project}-${name}-1`)).State.Status).toBe('exited');
      expect((await docker(['logs', `${project}-alpha-1`])).stdout).toContain('alpha-3');
    });
  });
  afterAll(async () => {
    await removeProject(project);
  });

  it('prints every container\'s lines with aligned prefixes, stderr on stderr', async () => {
    const r = await gantryOk(dir, ['-p', project, 'logs']);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['alpha-1   | alpha-1', 'alpha-1   | alpha-2', 'alpha-1   | alpha-3', 'beta-1    | beta-1']);
    expect(r.stderr).toBe('errant-1  | to-stderr\n');
  });

  it('keeps only the last N lines of each container with --tail', async () => {
    const r = await gantryOk(dir, ['-p', project, 'logs', '--tail', '2']);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['alpha-1   | alpha-2', 'alpha-1   | alpha-3', 'beta-1    | beta-1']);
    expect(r.stderr).toBe('errant-1  | to-stderr\n');
  });

  it('adds the engine\'s timestamps with -t', async () => {
    const r = await gantryOk(dir, ['-p', project, 'logs', '-t', 'beta']);
    expect(r.stdout).toMatch(/^beta-1  \| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z beta-1\n$/);
  });

  it('prints bare lines of one service with --no-log-prefix', async () => {
    const r = await gantryOk(dir, ['-p', project, 'logs', '--no-log-prefix', 'beta']);
    expect(r.stdout).toBe('beta-1\n');
  });

  it('selects a replica with --index', async () => {
    expect((await gantryOk(dir, ['-p', project, 'logs', '--index', '1', 'beta'])).stdout).toBe('beta-1  | beta-1\n');
    expect((await gantryOk(dir, ['-p', project, 'logs', '--index', '2', 'beta'])).stdout).toBe('');
  });

  it('works from labels alone with -p and no compose file', async () => {
    const r = await runGantry(['-p', project, 'logs', 'beta'], { cwd: useEmptyDir() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('beta-1  | beta-1\n');
  });

  it('refuses a service the file does not define', async () => {
    const r = await gantryIn(dir, ['-p', project, 'logs', 'gamma']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no such service: gamma');
  });
});

describe('logs -f', () => {
  it('prints lines written after it started, follows a recreated container, and exits 130 on Ctrl-C', async () => {
    const project = useProject();
    const dir = testdata('logs-follow');
    await gantryOk(dir, ['-p', project, 'up', '-d']);
    const first = (await inspectContainer(`${project}-app-1`)).Id.slice(0, 12);
    const follow = startGantry(['-p', project, 'logs', '-f'], { cwd: dir });
    await follow.waitFor(`app-1  | started-${first}`);
    // Written to the container's stdout (PID 1's), as its own process would.
    await docker(['exec', `${project}-app-1`, 'sh', '-c', 'echo later-line > /proc/1/fd/1']);
    await follow.waitFor('app-1  | later-line');
    await gantryOk(dir, ['-p', project, 'up', '-d', '--force-recreate']);
    const second = (await inspectContainer(`${project}-app-1`)).Id.slice(0, 12);
    expect(second).not.toBe(first);
    await follow.waitFor(`app-1  | started-${second}`);
    follow.signal('SIGINT');
    const r = await follow.result;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout.match(new RegExp(`started-${first}`, 'g'))).toHaveLength(1);
  });

  it('prints "<name> exited with code N" on stdout when a followed container stops, as attached up does', async () => {
    const project = useProject();
    const dir = testdata('logs-follow');
    await gantryOk(dir, ['-p', project, 'up', '-d']);
    const id = (await inspectContainer(`${project}-app-1`)).Id.slice(0, 12);
    const follow = startGantry(['-p', project, 'logs', '-f'], { cwd: dir });
    await follow.waitFor(`app-1  | started-${id}`);
    await docker(['stop', `${project}-app-1`]);
    const { ExitCode } = (await inspectContainer(`${project}-app-1`)).State;
    const stdout = await follow.waitFor(`app-1 exited with code ${ExitCode}\n`);
    expect(stdout).toBe(`app-1  | started-${id}\napp-1 exited with code ${ExitCode}\n`);
    follow.signal('SIGINT');
    const r = await follow.result;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).not.toContain('exited with code');
  });
});
