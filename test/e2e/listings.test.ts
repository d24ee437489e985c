// top, port, images and ls on the real engine: what each prints for a running stack, their
// flags, `-p NAME` without a file, and unknown services.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectContainer, testdata, useEmptyDir } from '../support/engine-state.js';
import { freePort, dockerOk, removeProject, runGantry, TEST_IMAGE, uniqueProjectName } from '../support/project.js';

const dir = testdata('listings');
const project = uniqueProjectName();
let env: NodeJS.ProcessEnv = {};
const gantry = (args: readonly string[], cwd = dir) => runGantry(['-p', project, ...args], { cwd, env });
async function ok(args: readonly string[], cwd = dir): Promise<string> {
  const r = await gantry(args, cwd);
  expect(r.code, `gantry ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

describe('listings', () => {
  beforeAll(async () => {
    env = { LIST_WEB_PORT: String(await freePort()) };
    const r = await runGantry(['-p', project, 'up', '-d'], { cwd: dir, env });
    if (r.code !== 0) throw new Error(`up failed (${r.code}):\n${r.stderr}`);
  });
  afterAll(async () => {
    await removeProject(project);
  });

  describe('top', () => {
    it('prints one table of every container\'s processes: SERVICE and # first, CMD last', async () => {
      const lines = (await ok(['top'])).trim().split('\n');
      expect(lines[0]?.split(/\s+/)).toEqual(['SERVICE', '#', 'UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
      const rows = lines.slice(1).map((line) => line.split(/\s+/));
      expect(rows.some((r) => r[0] === 'web' && r[1] === '1' && r.includes('httpd'))).toBe(true);
      // Each worker shows its init and its sleep.
      expect([...new Set(rows.filter((r) => r[0] === 'worker' && r.includes('sleep')).map((r) => r[1]))].sort()).toEqual(['1', '2']);
    });

    it('limits to the services given, also with -p and no file', async () => {
      const rows = (await ok(['top', 'worker'], useEmptyDir())).trim().split('\n').slice(1);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((row) => row.startsWith('worker'))).toBe(true);
    });
  });

  describe('port', () => {
    it('prints the host address of a published port', async () => {
      expect(await ok(['port', 'web', '8080'])).toBe(`127.0.0.1:${env.LIST_WEB_PORT}\n`);
    });

    it('takes --protocol and --index', async () => {
      const udp = (await dockerOk(['port', `${project}-web-1`, '9090/udp'])).trim().split('\n')[0];
      expect(await ok(['port', '--protocol', 'udp', 'web', '9090'])).toBe(`${udp}\n`);
      const second = (await inspectContainer(`${project}-worker-2`)).NetworkSettings.Ports['8080/tcp']?.[0]?.HostPort;
      expect(await ok(['port', '--index', '2', 'worker', '8080'], useEmptyDir())).toBe(`127.0.0.1:${second}\n`);
    });

    it('says when the port is not published', async () => {
      const r = await gantry(['port', 'web', '9999']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`no port 9999/tcp for container ${project}-web-1`);
    });
  });

  describe('images', () => {
    it('lists each container\'s image: repository, tag, id, size', async () => {
      const imageId = (await dockerOk(['image', 'inspect', '--format', '{{.Id}}', TEST_IMAGE])).trim();
      const lines = (await ok(['images'])).trim().split('\n');
      expect(lines[0]?.split(/\s{2,}/)).toEqual(['CONTAINER', 'REPOSITORY', 'TAG', 'PLATFORM', 'IMAGE ID', 'SIZE', 'CREATED']);
      const rows = lines.slice(1).map((line) => line.split(/\s{2,}/));
      expect(rows.map((r) => r[0])).toEqual([`${project}-web-1`, `${project}-worker-1`, `${project}-worker-2`]);
      for (const row of rows) {
        expect(row.slice(1, 3)).toEqual(['gantry-test/busybox', '1']);
        expect(row[4]).toBe(imageId.replace('sha256:', '').slice(0, 12));
        expect(row[5]).toMatch(/^[\d.]+[kMG]?B$/);
      }
      expect(await ok(['images', '-q'])).toBe(`${imageId.replace('sha256:', '')}\n`);
    });

    it('gives JSON with --format json, for the services given, with -p and no file', async () => {
      const list = JSON.parse(await ok(['images', '--format', 'json', 'web'], useEmptyDir())) as { ContainerName: string; Repository: string; Tag: string; ID: string }[];
      expect(list).toEqual([expect.objectContaining({ ContainerName: `${project}-web-1`, Repository: 'gantry-test/busybox', Tag: '1', ID: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) })]);
    });
  });

  describe('ls', () => {
    it('lists the project with its status and config file', async () => {
      const line = (await ok(['ls'], useEmptyDir())).split('\n').find((l) => l.startsWith(`${project} `));
      expect(line?.split(/\s{2,}/)).toEqual([project, 'running(3)', `${dir}/compose.yaml`]);
      const json = JSON.parse(await ok(['ls', '--format', 'json', '--filter', `name=${project}`])) as unknown[];
      expect(json).toEqual([{ Name: project, Status: 'running(3)', ConfigFiles: `${dir}/compose.yaml` }]);
      expect((await ok(['ls', '-q'])).split('\n')).toContain(project);
    });

    it('counts states, and shows stopped projects only with -a', async () => {
      await ok(['stop', 'worker']);
      expect(JSON.parse(await ok(['ls', '--format', 'json', '--filter', `name=${project}`]))).toEqual([
        { Name: project, Status: 'running(1)', ConfigFiles: `${dir}/compose.yaml` },
      ]);
      expect(JSON.parse(await ok(['ls', '-a', '--format', 'json', '--filter', `name=${project}`]))).toEqual([
        { Name: project, Status: 'exited(2), running(1)', ConfigFiles: `${dir}/compose.yaml` },
      ]);
      await ok(['stop']);
      expect((await ok(['ls', '-q'])).split('\n')).not.toContain(project);
      expect((await ok(['ls', '-a', '-q'])).split('\n')).toContain(project);
      await ok(['start']);
    });
  });

  it('names services the file does not define', async () => {
    for (const args of [['top', 'nope'], ['port', 'nope', '80'], ['images', 'nope']]) {
      const r = await gantry(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain('no such service: nope');
    }
  });
});
