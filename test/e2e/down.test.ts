// `gantry down` through the real CLI and engine: removal order, what it keeps (named volumes,
// external networks, other projects), what -v removes, working from labels alone (-p without a
// file), and the stop timeout. Each scenario's compose.yaml lives in testdata/.
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  containerEvents,
  containerNames,
  exists,
  gantryIn,
  gantryOk,
  identity,
  inspectContainer,
  resourceLabels,
  resourceNames,
  testdata,
  useEmptyDir,
} from '../support/engine-state.js';
import { docker, dockerOk, removeProject, uniqueName, useProject } from '../support/project.js';

describe('down', () => {
  it('stops dependents before their dependencies, through a finished job in the chain', async () => {
    const project = useProject();
    const dir = testdata('down-order');
    await gantryOk(dir, ['-p', project, 'up', '-d']);
    const running = await containerNames(project, { running: true });
    expect(running).toEqual([`${project}-api-1`, `${project}-db-1`, `${project}-web-1`]);
    const since = new Date(Date.now() - 1_000);
    await gantryOk(dir, ['-p', project, 'down']);
    // The window may include the job's own exit during `up`: keep the containers down stopped.
    const died = (await containerEvents(project, since, new Date(), ['die'])).filter((e) => running.includes(e.name));
    expect(died.map((e) => e.name)).toEqual([`${project}-web-1`, `${project}-api-1`, `${project}-db-1`]);
    expect(await containerNames(project)).toEqual([]);
    expect(await resourceNames('network', project)).toEqual([]);
  });

  it('keeps named volumes, so their data survives down and up', async () => {
    const project = useProject();
    const dir = testdata('down-volumes');
    await gantryOk(dir, ['-p', project, 'up', '-d']);
    await dockerOk(['exec', `${project}-web-1`, 'sh', '-c', 'echo kept > /data/file']);
    // `down` without -v leaves the container's anonymous volume behind, unlabelled, as compose does.
    const anonymous = (await inspectContainer(`${project}-web-1`)).Mounts.find((m) => m.Destination === '/cache')?.Name ?? '';
    onTestFinished(async () => void (await docker(['volume', 'rm', '-f', anonymous])));
    await gantryOk(dir, ['-p', project, 'down']);
    expect(await containerNames(project)).toEqual([]);
    expect(await resourceNames('network', project)).toEqual([]);
    expect(await resourceLabels('volume', `${project}_data`)).toMatchObject({ 'com.docker.compose.volume': 'data' });

    await gantryOk(dir, ['-p', project, 'up', '-d']);
    expect((await dockerOk(['exec', `${project}-web-1`, 'cat', '/data/file'])).trim()).toBe('kept');
  });

  it('removes named and anonymous volumes with -v', async () => {
    const project = useProject();
    const dir = testdata('down-volumes');
    await gantryOk(dir, ['-p', project, 'up', '-d']);
    const mounts = (await inspectContainer(`${project}-web-1`)).Mounts;
    const anonymous = mounts.find((m) => m.Destination === '/cache')?.Name ?? '';
    expect(anonymous).toMatch(/^[0-9a-f]{64}$/);
    await gantryOk(dir, ['-p', project, 'down', '-v']);
    expect(await exists('volume', `${project}_data`)).toBe(false);
    expect(await exists('volume', anonymous)).toBe(false);
    expect(await containerNames(project)).toEqual([]);
  });

  it('removes a project by name from another directory, without its file', async () => {
    const project = useProject();
    await gantryOk(testdata('down-volumes'), ['-p', project, 'up', '-d']);
    await gantryOk(useEmptyDir(), ['-p', project, 'down', '-v']);
    expect(await containerNames(project)).toEqual([]);
    expect(await resourceNames('network', project)).toEqual([]);
    expect(await resourceNames('volume', project)).toEqual([]);
  });

  it('says that nothing was found for an unknown project and exits 0', async () => {
    const project = useProject();
    const r = await gantryIn(useEmptyDir(), ['-p', project, 'down']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`No resources found for project "${project}"`);
  });

  it('leaves another project with the same service and network names alone', async () => {
    const mine = useProject();
    const other = useProject();
    const dir = testdata('up-orphans');
    await gantryOk(dir, ['-p', mine, 'up', '-d']);
    await gantryOk(dir, ['-p', other, 'up', '-d']);
    const before = await Promise.all(['web', 'worker'].map((s) => identity(`${other}-${s}-1`)));
    await gantryOk(dir, ['-p', mine, 'down']);
    expect(await containerNames(mine)).toEqual([]);
    expect(await containerNames(other, { running: true })).toEqual([`${other}-web-1`, `${other}-worker-1`]);
    expect(await Promise.all(['web', 'worker'].map((s) => identity(`${other}-${s}-1`)))).toEqual(before);
    expect(await resourceNames('network', other)).toEqual([`${other}_default`]);
  });

  it('keeps an orphan and the network it still uses, with warnings, and succeeds', async () => {
    const project = useProject();
    const dir = testdata('up-orphans');
    await gantryOk(dir, ['-p', project, 'up', '-d']);
    const worker = await identity(`${project}-worker-1`);
    const r = await gantryOk(dir, ['-p', project, '-f', 'without-worker.yaml', 'down']);
    expect(r.stderr).toMatch(/WARN.*orphan/);
    expect(r.stderr).toMatch(new RegExp(`Network ${project}_default +In use +Resource is still in use`));
    expect(await containerNames(project)).toEqual([`${project}-worker-1`]);
    expect(await identity(`${project}-worker-1`)).toEqual(worker);
    expect(await resourceNames('network', project)).toEqual([`${project}_default`]);
  });

  it('removes orphans too with --remove-orphans', async () => {
    const project = useProject();
    const dir = testdata('up-orphans');
    await gantryOk(dir, ['-p', project, 'up', '-d']);
    await gantryOk(dir, ['-p', project, '-f', 'without-worker.yaml', 'down', '--remove-orphans']);
    expect(await containerNames(project)).toEqual([]);
    expect(await resourceNames('network', project)).toEqual([]);
  });

  it('never removes an external network', async () => {
    const project = uniqueName();
    const network = uniqueName('gantry-t-ext');
    // One cleanup, in order: the project's containers must be gone before the network can go.
    onTestFinished(async () => {
      await removeProject(project);
      await docker(['network', 'rm', network]);
    });
    await dockerOk(['network', 'create', network]);
    const dir = testdata('down-external-network');
    const env = { GANTRY_TEST_EXTERNAL_NETWORK: network };
    await gantryOk(dir, ['-p', project, 'up', '-d'], env);
    expect(Object.keys((await inspectContainer(`${project}-web-1`)).NetworkSettings.Networks)).toEqual([network]);
    await gantryOk(dir, ['-p', project, 'down'], env);
    expect(await containerNames(project)).toEqual([]);
    expect(await exists('network', network)).toBe(true);
  });

  it('--dry-run --format json lists what would go, volumes kept or removed, images with --rmi, and changes nothing', async () => {
    const project = useProject();
    const dir = testdata('down-volumes');
    await gantryOk(dir, ['-p', project, 'up', '-d']);
    const before = await identity(`${project}-web-1`);
    const anonymous = (await inspectContainer(`${project}-web-1`)).Mounts.find((m) => m.Destination === '/cache')?.Name ?? '';
    type DownJson = { project: string; steps: { action: string; kind: string; name: string }[]; operations: { kind: string }[] };
    const dryRun = async (...flags: string[]): Promise<string[]> => {
      const r = await gantryOk(dir, ['-p', project, 'down', '--dry-run', '--format', 'json', ...flags]);
      const json = JSON.parse(r.stdout) as DownJson;
      expect(json.project).toBe(project);
      return json.steps.map((s) => `${s.action} ${s.kind} ${s.name}`);
    };
    expect(await dryRun()).toEqual([`remove container ${project}-web-1`, `remove network ${project}_default`, `keep volume ${project}_data`]);
    expect((await dryRun('-v', '--rmi', 'all')).sort()).toEqual([
      `remove container ${project}-web-1`, 'remove image gantry-test/busybox:1', `remove network ${project}_default`,
      `remove volume ${anonymous}`, `remove volume ${project}_data`,
    ].sort());
    // The text form is unchanged, and --format without --dry-run is refused before anything is removed.
    expect((await gantryOk(dir, ['-p', project, 'down', '--dry-run'])).stdout).toContain(`  keep volume ${project}_data (named volumes are kept; down -v removes them)\n`);
    const refused = await gantryIn(dir, ['-p', project, 'down', '--format', 'json']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--format applies only with --dry-run');
    expect(await identity(`${project}-web-1`)).toEqual(before);
    expect(await exists('volume', anonymous)).toBe(true);
    expect(await exists('network', `${project}_default`)).toBe(true);
  });

  it('kills containers that ignore SIGTERM after -t seconds', async () => {
    const project = useProject();
    const dir = testdata('down-timeout');
    await gantryOk(dir, ['-p', project, 'up', '-d']);
    const since = new Date(Date.now() - 1_000);
    await gantryOk(dir, ['-p', project, 'down', '-t', '1']);
    expect(await containerNames(project)).toEqual([]);
    // On the engine's clock: SIGTERM, then SIGKILL one second later (the default waits 10 s).
    const events = await containerEvents(project, since, new Date(), ['kill', 'die']);
    expect(events.map((e) => [e.action, e.signal ?? e.exitCode])).toEqual([['kill', '15'], ['kill', '9'], ['die', '137']]);
    const [term, kill] = events;
    expect((kill?.time ?? 0) - (term?.time ?? 0)).toBeGreaterThanOrEqual(900);
    expect((kill?.time ?? 0) - (term?.time ?? 0)).toBeLessThan(5_000);
  });
});
