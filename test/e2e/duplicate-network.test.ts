// A duplicate of a project network left behind by a concurrent `up` that crashed (engine 20.10
// accepts two networks with one name when the create does not ask it to check; the docker CLI
// always asks, so the duplicate is made through the API, as a racing run's create succeeds).
// `plan` shows the duplicate's removal once; `up` keeps the oldest copy, joins it by id and
// removes the other; `ps` lists each container once; `down` removes every copy, by id.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { containerNames, gantryIn, gantryOk, inspectContainer, testdata } from '../support/engine-state.js';
import { PROJECT_LABEL, docker, dockerOk, useProject } from '../support/project.js';

const dir = testdata('duplicate-network');

/** Where the engine listens, as the docker CLI reads DOCKER_HOST (default: the local socket). */
function engineAddress(): { socketPath: string } | { host: string; port: number } {
  const host = process.env.DOCKER_HOST ?? '';
  if (host.startsWith('tcp://')) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    return { host: url.hostname, port: Number(url.port || 2375) };
  }
  return { socketPath: host.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock' };
}

/** POST /networks/create with CheckDuplicate false; returns the new network's id. */
function createNetworkUnchecked(name: string, labels: Record<string, string>): Promise<string> {
  const body = JSON.stringify({ Name: name, CheckDuplicate: false, Driver: 'bridge', Labels: labels });
  return new Promise((resolve, reject) => {
    const req = request({ ...engineAddress(), method: 'POST', path: '/v1.41/networks/create', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => {
        if (res.statusCode !== 201) return reject(new Error(`create network ${name}: ${res.statusCode ?? '?'} ${text}`));
        resolve((JSON.parse(text) as { Id: string }).Id);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Network name → ids (in `network ls` order) of every network labelled with the project. */
async function networksOf(project: string): Promise<Map<string, string[]>> {
  const out = await dockerOk(['network', 'ls', '--no-trunc', '--filter', `label=${PROJECT_LABEL}=${project}`, '--format', '{{.Name}} {{.ID}}']);
  const byName = new Map<string, string[]>();
  for (const [name = '', id = ''] of out.split('\n').filter(Boolean).map((line) => line.split(' '))) byName.set(name, [...(byName.get(name) ?? []), id].sort());
  return byName;
}

/** Creates the project's network for `key` twice, the second a moment later; returns [older, newer] ids. */
async function duplicated(project: string, key: string): Promise<[string, string]> {
  const labels = { [PROJECT_LABEL]: project, 'com.docker.compose.network': key, 'com.docker.compose.version': '2.24.0' };
  const older = await createNetworkUnchecked(`${project}_${key}`, labels);
  const newer = await createNetworkUnchecked(`${project}_${key}`, labels);
  return [older, newer];
}

describe('a duplicated project network', () => {
  it('up keeps the oldest copy and joins it by id, ps and plan are not confused, down removes every copy', async () => {
    const project = useProject();
    const [defaultKept, defaultExtra] = await duplicated(project, 'default');
    const [backKept, backExtra] = await duplicated(project, 'back');
    expect(await networksOf(project)).toEqual(new Map([
      [`${project}_back`, [backKept, backExtra].sort()],
      [`${project}_default`, [defaultKept, defaultExtra].sort()],
    ]));

    // plan: the duplicates' removal, once each, and no network to create.
    const plan = await gantryOk(dir, ['-p', project, 'plan']);
    const networkLines = plan.stdout.split('\n').filter((l) => / network /.test(l)).sort();
    expect(networkLines, plan.stdout).toEqual([
      `  remove network ${project}_back (duplicate of ${backKept.slice(0, 12)})`,
      `  remove network ${project}_default (duplicate of ${defaultKept.slice(0, 12)})`,
    ]);

    const up = await gantryIn(dir, ['-p', project, '--progress', 'plain', 'up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    expect(await networksOf(project)).toEqual(new Map([[`${project}_back`, [backKept]], [`${project}_default`, [defaultKept]]]));
    const kept = new Map([[`${project}_back`, backKept], [`${project}_default`, defaultKept]]);
    for (const name of [`${project}-db-1`, `${project}-web-1`]) {
      const joined = (await inspectContainer(name)).NetworkSettings.Networks as Record<string, { NetworkID?: string }>;
      expect(Object.keys(joined).length, name).toBeGreaterThan(0);
      for (const [network, endpoint] of Object.entries(joined)) expect(endpoint.NetworkID, `${name} on ${network}`).toBe(kept.get(network));
    }
    expect(await containerNames(project, { running: true })).toEqual([`${project}-db-1`, `${project}-web-1`]);

    // ps lists each container once; plan now has nothing to do.
    const ps = (await gantryOk(dir, ['-p', project, 'ps', '--format', 'json'])).stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { Name: string; Networks: string });
    expect(ps.map((c) => [c.Name, c.Networks.split(',').sort().join(',')])).toEqual([
      [`${project}-db-1`, `${project}_back`],
      [`${project}-web-1`, `${project}_back,${project}_default`],
    ]);
    expect((await gantryOk(dir, ['-p', project, 'plan'])).stdout).toContain('Summary: 2 unchanged\n');

    // A duplicate appearing while the project runs: down removes both copies, by id.
    const labels = { [PROJECT_LABEL]: project, 'com.docker.compose.network': 'default', 'com.docker.compose.version': '2.24.0' };
    const late = await createNetworkUnchecked(`${project}_default`, labels);
    const down = await gantryIn(dir, ['-p', project, '--progress', 'plain', 'down', '-t', '1']);
    expect(down.code, down.stderr).toBe(0);
    expect(await containerNames(project)).toEqual([]);
    expect(await networksOf(project)).toEqual(new Map());
    expect((await docker(['network', 'inspect', late])).code).not.toBe(0);
  });

  it('up refuses, with one clear error, a duplicate that a container still uses; down then removes every copy', async () => {
    const project = useProject();
    const [kept, extra] = await duplicated(project, 'default');
    // A container of another tool joined to the newer copy keeps it in use. It starts on a side
    // network (the engine cannot start a container on an ambiguous name), then joins by id.
    // Both carry the project label only, so the cleanup removes them and Gantry ignores them.
    const side = (await dockerOk(['network', 'create', '--label', `${PROJECT_LABEL}=${project}`, `${project}-side`])).trim();
    const holder = `${project}-holder`;
    await dockerOk(['run', '-d', '--init', '--name', holder, '--network', side, '--label', `${PROJECT_LABEL}=${project}`, 'gantry-test/busybox:1', 'sleep', '3600']);
    await dockerOk(['network', 'connect', extra, holder]);

    const up = await gantryIn(dir, ['-p', project, '--progress', 'plain', 'up', '-d']);
    expect(up.code, up.stderr).toBe(1);
    expect(up.stderr).not.toMatch(/\n\s+at /);
    expect(up.stderr).toContain(`hint: see what uses it with 'docker network inspect ${extra.slice(0, 12)}'`);
    expect(up.stderr.split('\n').filter((l) => l.startsWith('error:')), up.stderr).toEqual([
      `error: service "web": network ${project}_default has a duplicate (id ${extra.slice(0, 12)}, next to ${kept.slice(0, 12)}) that containers still use: the engine cannot start a container on a name two networks share`,
    ]);
    // db (on back only) is up; web, which needs the ambiguous name, was never created.
    expect(await containerNames(project)).toEqual([`${project}-db-1`, holder]);
    expect((await networksOf(project)).get(`${project}_default`)).toEqual([kept, extra].sort());

    await dockerOk(['rm', '-f', holder]);
    const down = await gantryIn(dir, ['-p', project, 'down', '-t', '1']);
    expect(down.code, down.stderr).toBe(0);
    expect([...(await networksOf(project)).keys()]).toEqual([`${project}-side`]);
  });
});
