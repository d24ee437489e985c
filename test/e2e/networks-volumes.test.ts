// Declared networks and volumes reach the engine with their options, services join them under
// their aliases, and external ones are used but never created or removed. One stack
// (testdata/networks-volumes) is brought up once; each test checks real state with `docker
// inspect` and from inside the containers; the last one takes the stack down with -v.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PROJECT_LABEL,
  TEST_IMAGE,
  docker,
  dockerOk,
  eventually,
  removeProject,
  runGantry,
  uniqueProjectName,
  useProject,
} from '../support/project.js';
import { testdata } from '../support/engine-state.js';

const NETWORK_LABEL = 'com.docker.compose.network';
const VOLUME_LABEL = 'com.docker.compose.volume';

/** `docker inspect` output: read loosely, checked by the assertions. */
type Json = Record<string, any>;

async function inspect(kind: 'container' | 'network' | 'volume', name: string): Promise<Json> {
  const [details] = JSON.parse(await dockerOk([kind, 'inspect', name])) as Json[];
  if (details === undefined) throw new Error(`no ${kind} ${name}`);
  return details;
}

async function execOk(container: string, script: string): Promise<string> {
  const r = await docker(['exec', container, 'sh', '-c', script]);
  if (r.code !== 0) throw new Error(`exec in ${container} exited ${r.code}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

async function exists(kind: 'network' | 'volume', name: string): Promise<boolean> {
  return (await docker([kind, 'inspect', name])).code === 0;
}

describe('networks and volumes', () => {
  const project = uniqueProjectName();
  const names = {
    default: `${project}_default`,
    front: `${project}_front`,
    back: `${project}-back`,
    outside: `${project}-ext`,
    local: `${project}_local`,
    opts: `${project}_opts`,
    renamed: `${project}-vol`,
    shared: `${project}-ext-vol`,
  };
  const env = {
    GANTRY_E2E_BACK_NETWORK: names.back,
    GANTRY_E2E_EXT_NETWORK: names.outside,
    GANTRY_E2E_VOLUME: names.renamed,
    GANTRY_E2E_EXT_VOLUME: names.shared,
  };
  const cwd = testdata('networks-volumes');
  const web = `${project}-web-1`;
  const probe = `${project}-probe-1`;
  let outsideId = '';
  let sharedCreatedAt = '';

  beforeAll(async () => {
    // The external ones carry no project label: only this file's afterAll removes them.
    outsideId = (await dockerOk(['network', 'create', '--label', 'com.example.owner=test', names.outside])).trim();
    await dockerOk(['volume', 'create', '--label', 'com.example.owner=test', names.shared]);
    sharedCreatedAt = (await inspect('volume', names.shared)).CreatedAt;
    const up = await runGantry(['-p', project, '--progress', 'plain', 'up', '-d'], { cwd, env });
    expect(up.code, `gantry up failed:\n${up.stderr}\n${up.stdout}`).toBe(0);
  });

  afterAll(async () => {
    const left = await removeProject(project);
    if (left.length) console.warn(`[test cleanup] could not remove from project ${project}: ${left.join(', ')}`);
    await docker(['rm', '-f', '-v', `${project}-check`]);
    await docker(['network', 'rm', names.outside]);
    await docker(['volume', 'rm', '-f', names.shared]);
  });

  it('puts a service without networks: on the project\'s default network', async () => {
    const network = await inspect('network', names.default);
    expect(network.Labels).toMatchObject({ [PROJECT_LABEL]: project, [NETWORK_LABEL]: 'default' });
    const plain = await inspect('container', `${project}-plain-1`);
    expect(Object.keys(plain.NetworkSettings.Networks)).toEqual([names.default]);
    expect(plain.NetworkSettings.Networks[names.default].Aliases).toContain('plain');
    // Services with their own networks: do not join it.
    const webDetails = await inspect('container', web);
    expect(Object.keys(webDetails.NetworkSettings.Networks).sort()).toEqual([names.back, names.outside, names.front].sort());
    // The network of highest priority is the one given at create.
    expect(webDetails.HostConfig.NetworkMode).toBe(names.front);
  });

  it('creates a bridge network with driver_opts, attachable and labels', async () => {
    const front = await inspect('network', names.front);
    expect(front).toMatchObject({ Name: names.front, Driver: 'bridge', Attachable: true, Internal: false });
    expect(front.Options).toEqual({ 'com.docker.network.driver.mtu': '1400' });
    expect(front.Labels).toMatchObject({ 'com.example.purpose': 'front-door', [PROJECT_LABEL]: project, [NETWORK_LABEL]: 'front' });
    // The option reached the driver: web's interface on front has that MTU, its others do not.
    const mtus = (await execOk(web, 'cat /sys/class/net/eth*/mtu')).split('\n').filter(Boolean).sort();
    expect(mtus).toEqual(['1400', '1500', '1500']);
  });

  it('creates an internal network under its name: override, with ipam config and a static address', async () => {
    const back = await inspect('network', names.back);
    expect(back).toMatchObject({ Name: names.back, Internal: true });
    expect(back.IPAM.Config).toEqual([
      { Subnet: '10.231.240.0/24', IPRange: '10.231.240.128/25', Gateway: '10.231.240.1', AuxiliaryAddresses: { router: '10.231.240.2' } },
    ]);
    expect(back.Labels).toMatchObject({ [PROJECT_LABEL]: project, [NETWORK_LABEL]: 'back' });
    expect(await exists('network', `${project}_back`)).toBe(false);
    const endpoint = (await inspect('container', web)).NetworkSettings.Networks[names.back];
    expect(endpoint.IPAMConfig).toEqual({ IPv4Address: '10.231.240.10' });
    expect(endpoint.IPAddress).toBe('10.231.240.10');
    // Addresses the engine picks come from ip_range.
    const picked: string = (await inspect('container', probe)).NetworkSettings.Networks[names.back].IPAddress;
    expect(Number(picked.split('.')[3])).toBeGreaterThanOrEqual(128);
  });

  it('reaches a service on two networks by its alias on each', async () => {
    const networks = (await inspect('container', web)).NetworkSettings.Networks;
    expect(networks[names.front].Aliases).toEqual(expect.arrayContaining(['web', 'web-front']));
    expect(networks[names.back].Aliases).toEqual(expect.arrayContaining(['web', 'web-back']));
    expect(networks[names.front].Aliases).not.toContain('web-back');

    await execOk(web, 'echo hello-from-web > /www/index.html');
    for (const host of ['web-front', 'web-back', 'web']) {
      const body = await eventually(() => execOk(probe, `timeout 5 wget -q -O - http://${host}/index.html`));
      expect(body, host).toBe('hello-from-web\n');
    }
    expect(await execOk(probe, 'nslookup web-back 127.0.0.11')).toContain('10.231.240.10');
  });

  it('joins an external network without creating or changing it', async () => {
    const outside = await inspect('network', names.outside);
    expect(outside.Id).toBe(outsideId);
    expect(outside.Labels).toEqual({ 'com.example.owner': 'test' });
    expect(Object.keys(outside.Containers ?? {})).toEqual([(await inspect('container', web)).Id]);
  });

  it('creates volumes with driver, driver_opts, labels and a name: override, and uses an external one (legacy external.name)', async () => {
    const local = await inspect('volume', names.local);
    expect(local).toMatchObject({ Name: names.local, Driver: 'local' });
    expect(local.Labels).toEqual({ 'com.example.kind': 'site', [PROJECT_LABEL]: project, [VOLUME_LABEL]: 'local', 'com.docker.compose.version': expect.any(String) });

    const opts = await inspect('volume', names.opts);
    expect(opts.Options).toEqual({ type: 'tmpfs', device: 'tmpfs', o: 'size=8m,uid=0' });
    // The options reached the driver: the volume is a tmpfs of that size.
    const mounts = await execOk(web, 'cat /proc/mounts');
    expect(mounts.split('\n').find((l) => l.split(' ')[1] === '/opts')).toMatch(/^tmpfs \/opts tmpfs .*size=8192k/);

    const renamed = await inspect('volume', names.renamed);
    expect(renamed.Labels).toMatchObject({ [PROJECT_LABEL]: project, [VOLUME_LABEL]: 'renamed' });
    expect(await exists('volume', `${project}_renamed`)).toBe(false);

    const shared = await inspect('volume', names.shared);
    expect(shared.Labels).toEqual({ 'com.example.owner': 'test' });
    expect(shared.CreatedAt).toBe(sharedCreatedAt);
    const mountsOfWeb: Json[] = (await inspect('container', web)).Mounts;
    expect(mountsOfWeb.map((m) => [m.Destination, m.Name]).sort()).toEqual(
      [['/opts', names.opts], ['/renamed', names.renamed], ['/shared', names.shared], ['/www', names.local]].sort(),
    );
    await execOk(web, 'echo kept > /shared/file');
  });

  it('a second up finds every network and volume by name and changes nothing', async () => {
    const ids = async (): Promise<string[]> => [
      ...(await Promise.all([names.default, names.front, names.back, names.outside].map(async (n) => (await inspect('network', n)).Id as string))),
      ...(await Promise.all([web, probe, `${project}-plain-1`].map(async (n) => (await inspect('container', n)).Id as string))),
    ];
    const before = await ids();
    const again = await runGantry(['-p', project, '--progress', 'plain', 'up', '-d'], { cwd, env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toMatch(/Creat|Recreat|Start/);
    expect(await ids()).toEqual(before);
  });

  it('down -v removes the project\'s networks and volumes, never the external ones', async () => {
    const down = await runGantry(['-p', project, '--progress', 'plain', 'down', '-v'], { cwd, env });
    expect(down.code, down.stderr).toBe(0);
    for (const name of [names.default, names.front, names.back]) expect(await exists('network', name), name).toBe(false);
    for (const name of [names.local, names.opts, names.renamed]) expect(await exists('volume', name), name).toBe(false);
    expect((await inspect('network', names.outside)).Id).toBe(outsideId);
    expect(await exists('volume', names.shared)).toBe(true);
    // And the external volume kept its content.
    const r = await docker(['run', '--rm', '--name', `${project}-check`, '-v', `${names.shared}:/v`, TEST_IMAGE, 'cat', '/v/file']);
    expect(r.stdout).toBe('kept\n');
  });
});

describe('external networks', () => {
  it('a missing one fails up with its name and how to create it, and nothing is created', async () => {
    const project = useProject();
    const missing = `${project}-missing`;
    const r = await runGantry(['-p', project, '--progress', 'plain', 'up', '-d'], {
      cwd: testdata('missing-external-network'),
      env: { GANTRY_E2E_MISSING_NETWORK: missing },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`network ${missing} is declared as external, but could not be found`);
    expect(r.stderr).toContain(`hint: create it first: docker network create ${missing}`);
    expect(await dockerOk(['ps', '-aq', '--filter', `label=${PROJECT_LABEL}=${project}`])).toBe('');
    expect(await exists('network', missing)).toBe(false);
  });
});
