// `gantry ps` against one real project shared by the file (started once): a healthy web server
// on an ephemeral 127.0.0.1 port, a worker, and a job that exited 3. Every test reads the same
// state through the CLI and compares it with what docker itself reports.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerIds, gantryIn, inspectContainer, testdata, useEmptyDir } from '../support/engine-state.js';
import { dockerOk, eventually, removeProject, uniqueProjectName, type RunResult } from '../support/project.js';

const dir = testdata('ps');
const project = uniqueProjectName();
const web = `${project}-web-1`;
const worker = `${project}-worker-1`;
const job = `${project}-job-1`;
let webPort = 0;

async function ps(args: readonly string[] = [], cwd = dir): Promise<RunResult> {
  const r = await gantryIn(cwd, ['-p', project, 'ps', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

/** Table cells are separated by at least three spaces (the docker CLI's tabwriter padding). */
function tableRows(stdout: string): string[][] {
  return stdout.split('\n').filter((l) => l.trim() !== '').map((l) => l.trim().split(/ {3,}/));
}

function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

beforeAll(async () => {
  const r = await gantryIn(dir, ['-p', project, 'up', '-d']);
  if (r.code !== 0) throw new Error(`up failed (${r.code}):\n${r.stderr}`);
  await eventually(async () => {
    expect((await inspectContainer(web)).State.Health?.Status).toBe('healthy');
    expect((await inspectContainer(job)).State.Status).toBe('exited');
  }, { timeoutMs: 30_000 });
  const mapping = (await dockerOk(['port', web, '8080/tcp'])).trim().split('\n')[0] ?? '';
  expect(mapping).toMatch(/^127\.0\.0\.1:\d+$/);
  webPort = Number(mapping.split(':').pop());
});

afterAll(async () => {
  await removeProject(project);
});

describe('ps', () => {
  it('prints the columns NAME IMAGE COMMAND SERVICE CREATED STATUS PORTS and a row per running container', async () => {
    const [header, ...rows] = tableRows((await ps()).stdout);
    expect(header).toEqual(['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS']);
    expect(rows.map((r) => r[0])).toEqual([web, worker]);
    const [name, image, command, service, created, status, ports] = rows[0] ?? [];
    expect({ name, image, service }).toEqual({ name: web, image: 'gantry-test/busybox:1', service: 'web' });
    // Quoted and cut to 20 characters, exactly as `docker ps` shows it.
    expect(command).toBe((await dockerOk(['ps', '--filter', `name=^${web}$`, '--format', '{{.Command}}'])).trim());
    expect(created).toMatch(/ ago$/);
    expect(status).toMatch(/^Up .*\(healthy\)$/);
    expect(ports).toBe(`127.0.0.1:${webPort}->8080/tcp`);
    expect(rows[1]?.[5]).toMatch(/^Up /);
  });

  it('includes exited containers with -a', async () => {
    const rows = tableRows((await ps(['-a'])).stdout).slice(1);
    expect(rows.map((r) => r[0])).toEqual([job, web, worker]);
    expect(rows[0]?.[5]).toMatch(/^Exited \(3\) /);
  });

  it('prints the same container ids as docker with -q', async () => {
    const ids = (await ps(['-q'])).stdout.split('\n').filter(Boolean).sort();
    expect(ids).toEqual(await containerIds(project));
    const all = (await ps(['-a', '-q'])).stdout.split('\n').filter(Boolean).sort();
    expect(all).toEqual(await containerIds(project, { all: true }));
    expect(all).toHaveLength(3);
  });

  it('prints the services of running containers with --services', async () => {
    expect((await ps(['--services'])).stdout.split('\n').filter(Boolean).sort()).toEqual(['web', 'worker']);
  });

  it('shows only exited containers with --status exited', async () => {
    const rows = tableRows((await ps(['--status', 'exited'])).stdout).slice(1);
    expect(rows.map((r) => r[0])).toEqual([job]);
  });

  it('prints one JSON object per line with --format json', async () => {
    const objects = jsonLines((await ps(['-a', '--format', 'json'])).stdout);
    expect(objects.map((o) => o.Name)).toEqual([job, web, worker]);
    const byName = new Map(objects.map((o) => [o.Name, o]));
    expect(byName.get(web)).toMatchObject({
      Name: web,
      Service: 'web',
      State: 'running',
      Health: 'healthy',
      ExitCode: 0,
      Publishers: [{ URL: '127.0.0.1', TargetPort: 8080, PublishedPort: webPort, Protocol: 'tcp' }],
    });
    expect(byName.get(worker)).toMatchObject({ Service: 'worker', State: 'running', Health: '', Publishers: [] });
    expect(byName.get(job)).toMatchObject({ Service: 'job', State: 'exited', ExitCode: 3 });
  });

  it('lists a project by name from a directory without its file', async () => {
    const rows = tableRows((await ps([], useEmptyDir())).stdout).slice(1);
    expect(rows.map((r) => r[0])).toEqual([web, worker]);
  });

  it('does not read the file at all with -p and no -f (as compose v2), so it says nothing about it', async () => {
    const dirWithFile = useEmptyDir();
    writeFileSync(join(dirWithFile, 'compose.yaml'), 'services:\n  web:\n    image: busybox\n    environment:\n      - X=${UNSET_IN_THIS_TEST}\n');
    const r = await ps([], dirWithFile);
    expect(r.stderr).toBe('');
    expect(tableRows(r.stdout).slice(1).map((row) => row[0])).toEqual([web, worker]);
    // Named with -f, the file is read, as compose does: its warning shows.
    const withFile = await gantryIn(dirWithFile, ['-f', 'compose.yaml', '-p', project, 'ps']);
    expect(withFile.code, withFile.stderr).toBe(0);
    expect(withFile.stderr).toMatch(/UNSET_IN_THIS_TEST/);
  });

  it('takes the project name from COMPOSE_PROJECT_NAME in the directory\'s .env when there is no file', async () => {
    const empty = useEmptyDir();
    writeFileSync(join(empty, '.env'), `COMPOSE_PROJECT_NAME=${project}\n`);
    const r = await gantryIn(empty, ['ps']);
    expect(r.code, r.stderr).toBe(0);
    expect(tableRows(r.stdout).slice(1).map((row) => row[0])).toEqual([web, worker]);
  });
});
