// start, stop, restart, kill, pause, unpause and rm on the real engine: dependency order both
// ways, conditions waited for on start, -t, -s, service arguments, rm's confirmation, -s and -v,
// `-p NAME` without a file, and the faults users meet. One stack, driven through its states.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectContainer, testdata, useEmptyDir } from '../support/engine-state.js';
import { docker, eventually, removeProject, runGantry, uniqueProjectName } from '../support/project.js';

const dir = testdata('lifecycle');
const project = uniqueProjectName();
const gantry = (args: readonly string[], options: { input?: string; cwd?: string } = {}) =>
  runGantry(['--progress', 'plain', '-p', project, ...args], { cwd: options.cwd ?? dir, ...(options.input === undefined ? {} : { input: options.input }) });
const state = async (service: string) => (await inspectContainer(`${project}-${service}-1`)).State;

async function ok(args: readonly string[], options: { input?: string; cwd?: string } = {}): Promise<{ stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const r = await gantry(args, options);
  expect(r.code, `gantry ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return { stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

describe('lifecycle commands', () => {
  beforeAll(async () => {
    const r = await gantry(['up', '-d']);
    if (r.code !== 0) throw new Error(`up failed (${r.code}):\n${r.stderr}`);
  });
  afterAll(async () => {
    await removeProject(project);
  });

  it('stop with service names stops only those', async () => {
    await ok(['stop', 'web']);
    expect((await state('web')).Status).toBe('exited');
    expect((await state('db')).Status).toBe('running');
  });

  it('stop stops dependents before their dependencies, and -t shortens the grace period', async () => {
    const { ms } = await ok(['stop', '-t', '1']);
    const [web, db, stubborn] = await Promise.all([state('web'), state('db'), state('stubborn')]);
    expect([web.Status, db.Status, stubborn.Status]).toEqual(['exited', 'exited', 'exited']);
    // stubborn ignores SIGTERM and asks for 60 s: -t 1 had the engine kill it after 1 s.
    expect(stubborn.ExitCode).toBe(137);
    expect(ms).toBeLessThan(30_000);
    await ok(['start']);
    await ok(['stop', '-t', '1', 'db', 'web']);
    expect(Date.parse((await state('web')).FinishedAt)).toBeLessThanOrEqual(Date.parse((await state('db')).FinishedAt));
  });

  it('start starts dependencies first and waits for their conditions', async () => {
    const { stderr } = await ok(['start']);
    const [web, db] = await Promise.all([state('web'), state('db')]);
    expect([web.Status, db.Status]).toEqual(['running', 'running']);
    expect(Date.parse(db.StartedAt)).toBeLessThan(Date.parse(web.StartedAt));
    const lines = stderr.split('\n');
    const healthy = lines.findIndex((l) => /Container \S+-db-1 +Healthy/.test(l));
    const webStarting = lines.findIndex((l) => /Container \S+-web-1 +Starting/.test(l));
    expect(healthy, stderr).toBeGreaterThanOrEqual(0);
    expect(healthy).toBeLessThan(webStarting);
  });

  it('restart restarts the same container, with -t', async () => {
    const before = await inspectContainer(`${project}-stubborn-1`);
    const { ms } = await ok(['restart', '-t', '1', 'stubborn']);
    const after = await inspectContainer(`${project}-stubborn-1`);
    expect(after.Id).toBe(before.Id);
    expect(after.State.Status).toBe('running');
    expect(after.State.StartedAt).not.toBe(before.State.StartedAt);
    expect(ms).toBeLessThan(30_000);
  });

  it('kill sends SIGKILL, or the signal given with -s', async () => {
    await ok(['kill', '-s', 'TERM', 'web']);
    // web's shell runs its TERM trap once its current sleep ends.
    await eventually(async () => expect(await state('web')).toMatchObject({ Status: 'exited', ExitCode: 7 }));
    await ok(['kill', 'stubborn']);
    await eventually(async () => expect(await state('stubborn')).toMatchObject({ Status: 'exited', ExitCode: 137 }));
    await ok(['start']);
  });

  it('pause and unpause', async () => {
    await ok(['pause', 'web']);
    expect((await state('web')).Status).toBe('paused');
    await ok(['unpause']);
    expect((await state('web')).Status).toBe('running');
  });

  it('works from labels alone with -p and no compose file', async () => {
    const empty = useEmptyDir();
    await ok(['stop', '-t', '1', 'db'], { cwd: empty });
    expect((await state('db')).Status).toBe('exited');
    await ok(['start', 'db'], { cwd: empty });
    expect((await state('db')).Status).toBe('running');
  });

  it('rm asks first: no answer keeps the container, "y" removes it', async () => {
    await ok(['stop', '-t', '1', 'stubborn']);
    const asked = await ok(['rm', 'stubborn']);
    expect(asked.stdout).toContain(`Going to remove ${project}-stubborn-1`);
    expect((await state('stubborn')).Status).toBe('exited');
    await ok(['rm', 'stubborn'], { input: 'y\n' });
    expect((await docker(['container', 'inspect', `${project}-stubborn-1`])).code).not.toBe(0);
  });

  it('rm -s -f -v stops, removes without asking, and takes the anonymous volumes along', async () => {
    const volume = (await inspectContainer(`${project}-web-1`)).Mounts.find((m) => m.Destination === '/scratch')?.Name ?? '';
    expect(volume).not.toBe('');
    const { stdout } = await ok(['rm', '-s', '-f', '-v', 'web']);
    expect(stdout).toContain(`Going to remove ${project}-web-1`);
    expect((await docker(['container', 'inspect', `${project}-web-1`])).code).not.toBe(0);
    expect((await docker(['volume', 'inspect', volume])).code).not.toBe(0);
    expect((await state('db')).Status).toBe('running');
  });

  describe('faults', () => {
    it('names a service the file does not define', async () => {
      for (const command of ['start', 'stop', 'restart', 'kill', 'pause', 'rm']) {
        const r = await gantry([command, 'nope']);
        expect(r.code, command).toBe(1);
        expect(r.stderr).toContain('no such service: nope');
      }
    });

    it('will not start a service whose dependency cannot meet its condition', async () => {
      await ok(['up', '-d', 'web']);
      await ok(['stop', '-t', '1']);
      const r = await gantry(['start', 'web']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('service "web" did not start: dependency "db" exited');
      expect((await state('web')).Status).toBe('exited');
      await ok(['rm', '-f', '-v', 'web']);
    });

    it('cannot start a service that has no container', async () => {
      const r = await gantry(['start', 'web']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('service "web" has no container to start');
    });
  });
});
