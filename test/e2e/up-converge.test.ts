// `gantry up` on a project that already runs: it converges (keeps what matches, recreates what
// changed and what must follow it), honours the flags that narrow or force that, scales, and
// deals with orphans; `--dry-run` only prints the plan. Real CLI, real engine.
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  containerNames,
  exists,
  gantryIn,
  gantryOk,
  identity,
  inspectContainer,
  resourceNames,
  testdata,
} from '../support/engine-state.js';
import { docker, dockerOk, useProject } from '../support/project.js';

const converge = testdata('up-converge');
const SERVICES = ['db', 'web', 'worker'] as const;

/** The id and StartedAt of each service's first container. */
async function identities(project: string): Promise<Record<string, { id: string; startedAt: string }>> {
  const entries = await Promise.all(SERVICES.map(async (s) => [s, await identity(`${project}-${s}-1`)] as const));
  return Object.fromEntries(entries);
}

describe('up -d on a running project', () => {
  it('changes nothing when nothing changed', async () => {
    const project = useProject();
    await gantryOk(converge, ['-p', project, 'up', '-d']);
    const before = await identities(project);
    const again = await gantryOk(converge, ['-p', project, 'up', '-d']);
    expect(await identities(project)).toEqual(before);
    for (const s of SERVICES) expect(again.stderr).toMatch(new RegExp(`Container ${project}-${s}-1 +Running`));
    expect(again.stderr).not.toMatch(/(Container|Network|Volume) \S+ +(Recreat|Start|Creat|Stop|Remov)/);
  });

  it('starts stopped containers again without recreating them', async () => {
    const project = useProject();
    await gantryOk(converge, ['-p', project, 'up', '-d']);
    const before = await identities(project);
    await dockerOk(['stop', `${project}-worker-1`]);
    await gantryOk(converge, ['-p', project, 'up', '-d']);
    const after = await identities(project);
    expect(after.worker?.id).toBe(before.worker?.id);
    expect(after.worker?.startedAt).not.toBe(before.worker?.startedAt);
    expect(after.db).toEqual(before.db);
    expect(after.web).toEqual(before.web);
    expect(await containerNames(project, { running: true })).toEqual(SERVICES.map((s) => `${project}-${s}-1`));
  });

  it('recreates only the service whose environment changed', async () => {
    const project = useProject();
    await gantryOk(converge, ['-p', project, 'up', '-d']);
    const before = await identities(project);
    await gantryOk(converge, ['-p', project, 'up', '-d'], { GREETING: 'changed' });
    const after = await identities(project);
    expect(after.web?.id).not.toBe(before.web?.id);
    expect((await inspectContainer(`${project}-web-1`)).Config.Env).toContain('GREETING=changed');
    expect(after.db).toEqual(before.db);
    expect(after.worker).toEqual(before.worker);
  });

  it('recreates a changed dependency and the dependents that declare restart: true', async () => {
    const project = useProject();
    await gantryOk(converge, ['-p', project, 'up', '-d']);
    const before = await identities(project);
    await gantryOk(converge, ['-p', project, 'up', '-d'], { DB_MODE: 'replica' });
    const after = await identities(project);
    expect(after.db?.id).not.toBe(before.db?.id);
    expect(after.web?.id).not.toBe(before.web?.id);
    expect(after.worker).toEqual(before.worker);
    expect(await containerNames(project, { running: true })).toEqual(SERVICES.map((s) => `${project}-${s}-1`));
  });

  it('recreates every container with --force-recreate', async () => {
    const project = useProject();
    await gantryOk(converge, ['-p', project, 'up', '-d']);
    const before = await identities(project);
    await gantryOk(converge, ['-p', project, 'up', '-d', '--force-recreate']);
    const after = await identities(project);
    for (const s of SERVICES) expect(after[s]?.id, s).not.toBe(before[s]?.id);
    expect(await containerNames(project, { running: true })).toEqual(SERVICES.map((s) => `${project}-${s}-1`));
  });

  it('keeps a changed container with --no-recreate', async () => {
    const project = useProject();
    await gantryOk(converge, ['-p', project, 'up', '-d']);
    const before = await inspectContainer(`${project}-web-1`);
    await gantryOk(converge, ['-p', project, 'up', '-d', '--no-recreate'], { GREETING: 'changed' });
    const after = await inspectContainer(`${project}-web-1`);
    expect(after.Id).toBe(before.Id);
    expect(after.State.StartedAt).toBe(before.State.StartedAt);
    expect(after.Config.Env).toContain('GREETING=hello');
    expect(after.Config.Labels['com.docker.compose.config-hash']).toBe(before.Config.Labels['com.docker.compose.config-hash']);
  });
});

describe('up -d recreating a container with an anonymous volume', () => {
  // Compose recreates a container with its predecessor's anonymous volumes (unless -V), so their
  // data survives a config change; `down -v` still removes them.
  it('keeps the data of an anonymous volume, and down -v removes it', async () => {
    const project = useProject();
    const dir = testdata('down-volumes');
    await gantryOk(dir, ['-p', project, 'up', '-d']);
    const before = await inspectContainer(`${project}-web-1`);
    const volume = before.Mounts.find((m) => m.Destination === '/cache')?.Name ?? '';
    // Not labelled with the project: removed here if the test fails before down -v.
    onTestFinished(async () => void (await docker(['volume', 'rm', volume])));
    await dockerOk(['exec', `${project}-web-1`, 'sh', '-c', 'echo kept > /cache/file']);
    await gantryOk(dir, ['-p', project, 'up', '-d', '--force-recreate']);
    const after = await inspectContainer(`${project}-web-1`);
    expect(after.Id).not.toBe(before.Id);
    expect(after.Mounts.find((m) => m.Destination === '/cache')?.Name).toBe(volume);
    expect((await dockerOk(['exec', `${project}-web-1`, 'cat', '/cache/file'])).trim()).toBe('kept');
    await gantryOk(dir, ['-p', project, 'down', '-v']);
    expect(await exists('volume', volume)).toBe(false);
  });

  it('gives the new container a fresh anonymous volume with -V', async () => {
    const project = useProject();
    const dir = testdata('down-volumes');
    await gantryOk(dir, ['-p', project, 'up', '-d']);
    const volume = (await inspectContainer(`${project}-web-1`)).Mounts.find((m) => m.Destination === '/cache')?.Name ?? '';
    onTestFinished(async () => void (await docker(['volume', 'rm', volume])));
    await gantryOk(dir, ['-p', project, 'up', '-d', '--force-recreate', '-V']);
    const renewed = (await inspectContainer(`${project}-web-1`)).Mounts.find((m) => m.Destination === '/cache')?.Name ?? '';
    expect(renewed).toMatch(/^[0-9a-f]{64}$/);
    expect(renewed).not.toBe(volume);
  });
});

describe('up -d for some services', () => {
  it('starts only the named service with --no-deps', async () => {
    const project = useProject();
    await gantryOk(converge, ['-p', project, 'up', '-d', '--no-deps', 'web']);
    expect(await containerNames(project)).toEqual([`${project}-web-1`]);
    expect((await inspectContainer(`${project}-web-1`)).State.Status).toBe('running');
  });

  it('starts the named service and its dependencies only', async () => {
    const project = useProject();
    await gantryOk(converge, ['-p', project, 'up', '-d', 'web']);
    expect(await containerNames(project, { running: true })).toEqual([`${project}-db-1`, `${project}-web-1`]);
    expect(await exists('container', `${project}-worker-1`)).toBe(false);
  });
});

describe('up -d with replicas', () => {
  it('scales a service up with --scale and back down, removing the highest numbers', async () => {
    const project = useProject();
    const dir = testdata('up-scale');
    await gantryOk(dir, ['-p', project, 'up', '-d', '--scale', 'web=3']);
    const three = [1, 2, 3].map((n) => `${project}-web-${n}`);
    expect(await containerNames(project, { running: true })).toEqual(three);
    for (const [i, name] of three.entries()) {
      expect((await inspectContainer(name)).Config.Labels['com.docker.compose.container-number']).toBe(String(i + 1));
    }
    const first = await identity(`${project}-web-1`);
    await gantryOk(dir, ['-p', project, 'up', '-d', '--scale', 'web=1']);
    expect(await containerNames(project)).toEqual([`${project}-web-1`]);
    expect(await identity(`${project}-web-1`)).toEqual(first);
  });

  it('runs deploy.replicas containers of a service', async () => {
    const project = useProject();
    await gantryOk(testdata('deploy-replicas'), ['-p', project, 'up', '-d']);
    expect(await containerNames(project, { running: true })).toEqual([`${project}-web-1`, `${project}-web-2`]);
  });
});

describe('up -d and orphans', () => {
  const dir = testdata('up-orphans');

  it('warns about a service removed from the file and keeps its container', async () => {
    const project = useProject();
    await gantryOk(dir, ['-p', project, 'up', '-d']);
    const worker = await identity(`${project}-worker-1`);
    const r = await gantryOk(dir, ['-p', project, '-f', 'without-worker.yaml', 'up', '-d']);
    expect(r.stderr).toMatch(/WARN.*orphan.*--remove-orphans/);
    expect(r.stderr).toContain(`${project}-worker-1`);
    expect(await identity(`${project}-worker-1`)).toEqual(worker);
    expect((await inspectContainer(`${project}-worker-1`)).State.Status).toBe('running');
  });

  it('removes the container of a service removed from the file with --remove-orphans', async () => {
    const project = useProject();
    await gantryOk(dir, ['-p', project, 'up', '-d']);
    const web = await identity(`${project}-web-1`);
    await gantryOk(dir, ['-p', project, '-f', 'without-worker.yaml', 'up', '-d', '--remove-orphans']);
    expect(await containerNames(project)).toEqual([`${project}-web-1`]);
    expect(await identity(`${project}-web-1`)).toEqual(web);
  });
});

describe('up --dry-run', () => {
  it('prints the plan and creates nothing', async () => {
    const project = useProject();
    const r = await gantryIn(testdata('up-fresh'), ['-p', project, 'up', '-d', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    // The wording is the plan view's; what matters here is that every resource to create is named.
    for (const name of [`${project}_default`, `${project}_backend`, `${project}_data`, `${project}-api-1`, `${project}-client-1`]) {
      expect(r.stdout).toContain(name);
    }
    expect(await containerNames(project)).toEqual([]);
    expect(await resourceNames('network', project)).toEqual([]);
    expect(await resourceNames('volume', project)).toEqual([]);
  });
});
