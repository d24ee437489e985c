// `gantry exec` on the real engine: exit codes and demultiplexed streams, stdin, -e/-w/-u,
// --index, -d, --privileged, a TTY from a terminal, -p without a file, and the faults users meet.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gantryIn, inspectContainer, testdata, useEmptyDir } from '../support/engine-state.js';
import { GANTRY_BIN, docker, eventually, removeProject, run, runGantry, uniqueProjectName } from '../support/project.js';

const dir = testdata('exec');
const project = uniqueProjectName();
const exec = (args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) =>
  runGantry(['-p', project, 'exec', ...args], { cwd: dir, ...options });
const hasScript = spawnSync('script', ['--version']).status === 0;

describe('exec', () => {
  beforeAll(async () => {
    const r = await gantryIn(dir, ['-p', project, 'up', '-d', 'web', 'workers']);
    if (r.code !== 0) throw new Error(`up failed (${r.code}):\n${r.stderr}`);
  });
  afterAll(async () => {
    await removeProject(project);
  });

  it('passes the command\'s exit code through, with stdout and stderr apart', async () => {
    const r = await exec(['-T', 'web', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('streams stdin to the command and ends it with stdin', async () => {
    expect(await exec(['-T', 'web', 'cat'], { input: 'hello\nworld\n' })).toEqual({ code: 0, stdout: 'hello\nworld\n', stderr: '' });
    // More than the pipes hold at once, both ways.
    const big = 'x'.repeat(400_000);
    const r = await exec(['-T', 'web', 'sh', '-c', 'cat; cat /dev/null'], { input: big });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBe(big.length);
  });

  it('sets variables with -e (KEY=VALUE, or KEY from the shell), the directory with -w and the user with -u', async () => {
    const r = await exec(['-T', '-e', 'A=1', '-e', 'FROM_HOST', '-e', 'UNSET_HERE', '-w', '/tmp', '-u', 'nobody', 'web', 'sh', '-c', 'echo "$A $FROM_HOST $FROM_FILE ${UNSET_HERE-unset}"; pwd; id -u'], {
      env: { FROM_HOST: 'host' },
    });
    expect(r).toEqual({ code: 0, stdout: '1 host file unset\n/tmp\n65534\n', stderr: '' });
  });

  it('runs in the container chosen with --index, the first one without', async () => {
    const hostname = async (index?: string): Promise<string> => (await exec(['-T', ...(index ? ['--index', index] : []), 'workers', 'hostname'])).stdout.trim();
    expect(await hostname('2')).toBe((await inspectContainer(`${project}-workers-2`)).Id.slice(0, 12));
    expect(await hostname()).toBe((await inspectContainer(`${project}-workers-1`)).Id.slice(0, 12));
  });

  it('returns at once with -d while the command goes on in the background', async () => {
    const r = await exec(['-d', 'web', 'sh', '-c', 'sleep 0.3; touch /tmp/detached']);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    await eventually(async () => expect((await docker(['exec', `${project}-web-1`, 'test', '-f', '/tmp/detached'])).code).toBe(0));
  });

  it('asks the engine for extended privileges with --privileged', async () => {
    const caps = (extra: string[]) => exec(['-T', ...extra, 'web', 'grep', 'CapEff', '/proc/self/status']);
    const plain = await caps([]);
    expect(plain.stdout).toMatch(/^CapEff:\s+[0-9a-f]+\n$/);
    const privileged = await caps(['--privileged']);
    if (privileged.code === 0) {
      expect(BigInt(`0x${privileged.stdout.split(/\s+/)[1]}`)).toBeGreaterThan(BigInt(`0x${plain.stdout.split(/\s+/)[1]}`));
    } else {
      // An engine that itself runs without every capability (this test bed) refuses, and says why.
      expect(privileged.code).toBe(126);
      expect(privileged.stdout + privileged.stderr).toContain('caps');
    }
  });

  it.runIf(hasScript)('allocates a TTY when run from a terminal, and not with -T', async () => {
    const inTerminal = (args: string) => run('script', ['-qec', `${process.execPath} ${GANTRY_BIN} -p ${project} exec ${args}`, '/dev/null'], { cwd: dir, env: { NO_COLOR: '1' } });
    const tty = await inTerminal(`web sh -c 'tty; exit 4'`);
    expect(tty.code).toBe(4);
    expect(tty.stdout).toMatch(/\/dev\/pts\/\d+/);
    const noTty = await inTerminal(`-T web sh -c 'tty || true'`);
    expect(noTty.stdout).toContain('not a tty');
  });

  it('works from labels alone with -p and no compose file', async () => {
    const r = await runGantry(['-p', project, 'exec', '-T', 'web', 'echo', 'hi'], { cwd: useEmptyDir() });
    expect(r).toEqual({ code: 0, stdout: 'hi\n', stderr: '' });
  });

  it('passes on the engine\'s exit code for a command the image does not have', async () => {
    const r = await exec(['-T', 'web', 'no-such-command']);
    expect([126, 127]).toContain(r.code);
    expect(r.stdout + r.stderr).toContain('no-such-command');
  });

  describe('faults', () => {
    it('names a service the file does not define', async () => {
      const r = await exec(['-T', 'nope', 'true']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('no such service: nope');
    });

    it('says when the service has no running container', async () => {
      const r = await exec(['-T', 'idle', 'true']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('service "idle" is not running');
      const missing = await exec(['-T', '--index', '3', 'workers', 'true']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('service "workers" is not running container #3');
    });

    it('asks for a command', async () => {
      const r = await exec(['web']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('exec needs a command');
    });
  });
});

