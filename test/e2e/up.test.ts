// `gantry up -d` on a fresh project, through the real CLI and engine: what it creates (names,
// compose labels), that containers find each other by name, and that depends_on conditions
// gate each start. Each scenario's compose.yaml lives in testdata/ and also runs by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  containerNames,
  exists,
  gantryIn,
  gantryOk,
  inspectContainer,
  resourceLabels,
  testdata,
} from '../support/engine-state.js';
import { docker, eventually, removeProject, uniqueProjectName, useProject } from '../support/project.js';

const HEX64 = /^[0-9a-f]{64}$/;

describe('up -d on a fresh project', () => {
  const dir = testdata('up-fresh');
  const project = uniqueProjectName();
  beforeAll(async () => {
    const r = await gantryIn(dir, ['-p', project, 'up', '-d']);
    if (r.code !== 0) throw new Error(`up failed (${r.code}):\n${r.stderr}`);
  });
  afterAll(async () => {
    await removeProject(project);
  });

  it('creates the default and user networks with compose labels', async () => {
    for (const key of ['default', 'backend']) {
      expect(await resourceLabels('network', `${project}_${key}`)).toMatchObject({
        'com.docker.compose.project': project,
        'com.docker.compose.network': key,
      });
    }
  });

  it('creates the named volume with compose labels', async () => {
    expect(await resourceLabels('volume', `${project}_data`)).toMatchObject({
      'com.docker.compose.project': project,
      'com.docker.compose.volume': 'data',
    });
  });

  it('names containers <project>-<service>-1 and gives them every compose label', async () => {
    expect(await containerNames(project)).toEqual([`${project}-api-1`, `${project}-client-1`]);
    const client = await inspectContainer(`${project}-client-1`);
    expect(client.State.Status).toBe('running');
    const labels = client.Config.Labels;
    expect(labels).toMatchObject({
      'com.docker.compose.project': project,
      'com.docker.compose.service': 'client',
      'com.docker.compose.container-number': '1',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.project.working_dir': dir,
      'com.docker.compose.project.config_files': `${dir}/compose.yaml`,
      'com.docker.compose.depends_on': 'api:service_started:false',
    });
    expect(labels['com.docker.compose.config-hash']).toMatch(HEX64);
    expect(labels['com.docker.compose.version']).toMatch(/^\d+\.\d+\.\d+/);
    const api = await inspectContainer(`${project}-api-1`);
    expect(api.Config.Labels['com.docker.compose.depends_on']).toBe('');
    expect(api.Config.Labels['com.docker.compose.config-hash']).not.toBe(labels['com.docker.compose.config-hash']);
  });

  it('lets a container reach another by its service name', async () => {
    const body = await eventually(async () => {
      const r = await docker(['exec', `${project}-client-1`, 'wget', '-q', '-O', '-', 'http://api:8080/ping']);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    }, { timeoutMs: 15_000 });
    expect(body).toBe('pong\n');
  });

  it('lets a container reach another by an alias on a user network', async () => {
    const api = await inspectContainer(`${project}-api-1`);
    expect(api.NetworkSettings.Networks[`${project}_backend`]?.Aliases).toEqual(expect.arrayContaining(['api', 'store']));
    expect(api.NetworkSettings.Networks[`${project}_default`]?.Aliases ?? []).not.toContain('store');
    const body = await eventually(async () => {
      const r = await docker(['exec', `${project}-client-1`, 'wget', '-q', '-O', '-', 'http://store:8080/ping']);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    }, { timeoutMs: 15_000 });
    expect(body).toBe('pong\n');
  });
});

describe('up -d with depends_on conditions', () => {
  it('starts a service_healthy dependent only after its dependency became healthy', async () => {
    const project = useProject();
    await gantryOk(testdata('depends-healthy'), ['-p', project, 'up', '-d']);
    const db = await inspectContainer(`${project}-db-1`);
    expect(db.State.Health?.Status).toBe('healthy');
    const seen = await eventually(async () => {
      const r = await docker(['exec', `${project}-web-1`, 'cat', '/signals/web-started']);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.trim();
    });
    expect(seen).toBe('after-healthy');
    // db needs 2 s to get ready; an ungated start would follow it within about one start's time.
    const web = await inspectContainer(`${project}-web-1`);
    expect(Date.parse(web.State.StartedAt) - Date.parse(db.State.StartedAt)).toBeGreaterThanOrEqual(2_000);
  });

  it('starts a service_completed_successfully dependent only after the job exited 0', async () => {
    const project = useProject();
    await gantryOk(testdata('depends-completed'), ['-p', project, 'up', '-d']);
    const migrate = await inspectContainer(`${project}-migrate-1`);
    expect(migrate.State).toMatchObject({ Status: 'exited', ExitCode: 0 });
    const web = await inspectContainer(`${project}-web-1`);
    expect(web.State.Status).toBe('running');
    expect(Date.parse(web.State.StartedAt)).toBeGreaterThanOrEqual(Date.parse(migrate.State.FinishedAt));
    const seen = await eventually(async () => {
      const r = await docker(['exec', `${project}-web-1`, 'cat', '/signals/web-started']);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.trim();
    });
    expect(seen).toBe('after-migrate');
  });

  it('fails naming a job that exited 1, never starts its dependent, and still starts the rest', async () => {
    const project = useProject();
    const r = await gantryIn(testdata('depends-failed-job'), ['-p', project, 'up', '-d']);
    expect(r.code, r.stderr).toBe(1);
    // The progress names the failed job and why; the final error names it too.
    expect(r.stderr).toMatch(/migrate-1 +Error +exited 1/);
    expect(r.stderr).toMatch(/^error: .*"migrate".*exit.*1/m);
    expect((await inspectContainer(`${project}-migrate-1`)).State).toMatchObject({ Status: 'exited', ExitCode: 1 });
    // web may have been created (as compose does), but it must never have run.
    if (await exists('container', `${project}-web-1`)) {
      const web = await inspectContainer(`${project}-web-1`);
      expect(web.State.Status).toBe('created');
      expect(web.State.StartedAt).toMatch(/^0001-01-01/);
    }
    expect((await inspectContainer(`${project}-other-1`)).State.Status).toBe('running');
  });
});
