// DockerEngine against the real daemon: each test owns a uniquely named project, checks real
// state (labels, container state, open ports) with `eventually`, and cleans up even on failure.
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { createContainerSpec, createNetworkSpec, createVolumeSpec } from '../../src/engine/container-spec.js';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import { createFilesArchive } from '../../src/engine/inject-files.js';
import type { ContainerEvent, Engine, PullProgress } from '../../src/engine/engine.js';
import { EngineError } from '../../src/errors.js';
import type { Project } from '../../src/model/types.js';
import { projectFilter } from '../../src/plan/labels.js';
import { buildProject, type ServiceInput } from '../support/project-builder.js';
import { REGISTRY_IMAGE, TEST_IMAGE as IMAGE, docker, dockerOk, eventually, uniqueProjectName, useProject, fetchWithin } from '../support/project.js';

const SECOND = 1_000_000_000;
const engine = createDockerEngine();

/** A project of the given services whose resources are removed when the test finishes. */
function useTestProject(services: Readonly<Record<string, ServiceInput>>): Project {
  return buildProject({ name: useProject(), services });
}

/** Creates the project's networks, then the service's container, and starts it. */
async function runService(project: Project, service: string, options: { start?: boolean } = {}): Promise<string> {
  for (const network of Object.values(project.networks)) {
    if ((await engine.findNetwork(network.name)) === undefined) await engine.createNetwork(createNetworkSpec(project, network));
  }
  const target = project.services[service];
  if (target === undefined) throw new Error(`no service ${service}`);
  const id = await engine.createContainer(createContainerSpec({ project, service: target, number: 1, configHash: 'test' }));
  if (options.start !== false) await engine.startContainer(id);
  return id;
}

const sleeper: ServiceInput = { image: IMAGE, command: ['sleep', '600'], init: true };

describe('containers', () => {
  it('creates, starts, lists, stops and removes a container built from its spec', async () => {
    const project = useTestProject({ app: { ...sleeper, labels: { team: 'core' } } });
    const id = await runService(project, 'app', { start: false });
    expect(await engine.inspectContainer(id)).toMatchObject({ id, name: `${project.name}-app-1`, state: 'created', image: IMAGE });

    await engine.startContainer(id);
    const listed = await engine.listContainers(projectFilter(project.name));
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id, name: `${project.name}-app-1`, state: 'running', networks: [`${project.name}_default`] });
    expect(listed[0]?.labels).toMatchObject({ team: 'core', 'com.docker.compose.service': 'app', 'com.docker.compose.oneoff': 'False' });
    expect(await engine.listContainers({ ...projectFilter(project.name), 'com.docker.compose.service': 'other' })).toEqual([]);

    await engine.stopContainer(id, { timeoutSeconds: 10 });
    expect(await engine.inspectContainer(id)).toMatchObject({ state: 'exited', exitCode: 143 });
    await engine.stopContainer(id); // already stopped: nothing to do
    expect(await engine.listContainers(projectFilter(project.name))).toEqual([]);
    expect(await engine.listContainers(projectFilter(project.name), { all: true })).toHaveLength(1);

    await engine.removeContainer(id);
    await engine.removeContainer(id); // already gone: still fine
    expect(await engine.listContainers(projectFilter(project.name), { all: true })).toEqual([]);
  });

  it('joins every network of the service: one at create, the others right after', async () => {
    const project = useTestProject({ app: { ...sleeper, networks: { front: { priority: 10 }, back: { aliases: ['api'] } } } });
    const id = await runService(project, 'app', { start: false });
    expect([...(await engine.inspectContainer(id)).networks].sort()).toEqual([`${project.name}_back`, `${project.name}_front`]);
  });

  it('answers on ports published on 127.0.0.1, from a range or ephemeral', async () => {
    const web = { image: IMAGE, command: ['httpd', '-f', '-p', '8080', '-h', '/var/www'], init: true };
    const ports = [
      { target: 8080, hostIp: '127.0.0.1', published: '20000-20999', protocol: 'tcp', mode: 'ingress' },
      { target: 8080, hostIp: '127.0.0.1', protocol: 'tcp', mode: 'ingress' },
    ] as const;
    const project = useTestProject({ web: { ...web, ports } });
    const id = await runService(project, 'web');
    const published = (await engine.inspectContainer(id)).ports.filter((p) => p.targetPort === 8080 && p.url === '127.0.0.1');
    expect(published).toHaveLength(2);
    expect(published.some((p) => p.publishedPort >= 20000 && p.publishedPort <= 20999)).toBe(true);
    for (const { publishedPort } of published) {
      const body = await eventually(async () => (await fetchWithin(`http://127.0.0.1:${publishedPort}/`)).text());
      expect(body).toContain('gantry test image');
    }
  });

  it('creates a missing bind source only when create_host_path asks for it', async () => {
    const source = join(tmpdir(), uniqueProjectName(), 'data');
    onTestFinished(() => rmSync(join(source, '..'), { recursive: true, force: true }));
    const mount = (createHostPath: boolean) => [{ type: 'bind' as const, source, target: '/data', readOnly: false, bind: { createHostPath } }];
    const project = useTestProject({ strict: { ...sleeper, mounts: mount(false) }, lenient: { ...sleeper, mounts: mount(true) } });

    await expect(runService(project, 'strict')).rejects.toThrow(/bind source path does not exist/);
    await runService(project, 'lenient');
    expect(existsSync(source)).toBe(true);
  });

  it('copies a tar archive into a created container, keeping the owners and modes it names', async () => {
    const project = useTestProject({ app: sleeper });
    const id = await runService(project, 'app', { start: false });
    const archive = createFilesArchive([{ kind: 'secret', source: 'k', target: '/run/secrets/k', content: 'v4lue', mode: 0o440, uid: 1000, gid: 1001 }], 1_700_000_000);
    await engine.copyToContainer(id, '/', Readable.from([archive]));
    await engine.startContainer(id);
    expect((await dockerOk(['exec', id, 'stat', '-c', '%u:%g %a', '/run/secrets/k'])).trim()).toBe('1000:1001 440');
    expect(await dockerOk(['exec', id, 'cat', '/run/secrets/k'])).toBe('v4lue');
    const missing = await engine.copyToContainer(`${project.name}-nothing`, '/', Readable.from([archive])).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(EngineError);
    expect((missing as EngineError).statusCode).toBe(404);
  });

  it('rejects with the signal reason when the call is aborted', async () => {
    const reason = new Error('stopped by the user');
    await expect(engine.listContainers({}, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });
});

describe('networks and volumes', () => {
  it('creates, finds, lists by label and removes a network, twice without complaint', async () => {
    const project = useTestProject({});
    const network = buildProject({ name: project.name, services: {}, networks: { back: { labels: { tier: 'back' } } } }).networks.back;
    if (network === undefined) throw new Error('no network');
    const id = await engine.createNetwork(createNetworkSpec(project, network));

    expect(await engine.findNetwork(`${project.name}_back`)).toMatchObject({ id, name: `${project.name}_back`, driver: 'bridge' });
    expect(await engine.findNetwork(`${project.name}_bac`)).toBeUndefined();
    const listed = await engine.listNetworks(projectFilter(project.name));
    expect(listed.map((n) => n.labels)).toEqual([{ tier: 'back', 'com.docker.compose.project': project.name, 'com.docker.compose.network': 'back', 'com.docker.compose.version': '2.24.0' }]);

    await engine.removeNetwork(`${project.name}_back`);
    await engine.removeNetwork(`${project.name}_back`);
    expect(await engine.findNetwork(`${project.name}_back`)).toBeUndefined();
  });

  it('creates, finds, lists by label and removes a volume, twice without complaint', async () => {
    const project = useTestProject({});
    const volume = buildProject({ name: project.name, services: {}, volumes: { data: {} } }).volumes.data;
    if (volume === undefined) throw new Error('no volume');
    await engine.createVolume(createVolumeSpec(project, volume));

    expect(await engine.findVolume(`${project.name}_data`)).toMatchObject({ name: `${project.name}_data`, driver: 'local' });
    const listed = await engine.listVolumes(projectFilter(project.name));
    expect(listed.map((v) => [v.name, v.labels['com.docker.compose.volume']])).toEqual([[`${project.name}_data`, 'data']]);

    await engine.removeVolume(`${project.name}_data`);
    await engine.removeVolume(`${project.name}_data`);
    expect(await engine.findVolume(`${project.name}_data`)).toBeUndefined();
  });
});

describe('images', () => {
  it('knows which images exist', async () => {
    expect(await engine.imageExists(IMAGE)).toBe(true);
    expect(await engine.imageExists(`gantry-test/${uniqueProjectName()}:1`)).toBe(false);
  });

  it('reads an image\'s history oldest first, with its config paths, and undefined for a missing one', async () => {
    const ref = `gantry-test/${uniqueProjectName()}:history`;
    onTestFinished(async () => void (await docker(['image', 'rm', '-f', ref])));
    const dockerfile = `FROM ${IMAGE}\nWORKDIR /app\nVOLUME /data\n`;
    await dockerOk(['build', '-q', '-t', ref, '-'], { input: dockerfile, env: { DOCKER_BUILDKIT: '0' } });
    const history = await engine.imageHistory(ref);
    // The test image's own (imported) layer, then this build's steps in order.
    expect(history?.steps.slice(-2)).toEqual(['/bin/sh -c #(nop) WORKDIR /app', '/bin/sh -c #(nop)  VOLUME [/data]']);
    expect(history).toMatchObject({ workingDir: '/app', volumes: ['/data'] });
    expect(history?.steps).toHaveLength(3);
    expect(await engine.imageHistory(`gantry-test/${uniqueProjectName()}:1`)).toBeUndefined();
  });

  it('pulls from the local registry and reports progress', async () => {
    const progress: PullProgress[] = [];
    await engine.pullImage(REGISTRY_IMAGE, (p) => progress.push(p));
    expect(progress.map((p) => p.status)).toContainEqual(expect.stringMatching(/^Status: (Downloaded newer image|Image is up to date) for /));
    expect(await engine.imageExists(REGISTRY_IMAGE)).toBe(true);
  });

  it('fails a pull of a missing image with an EngineError in the engine words', async () => {
    const ref = `127.0.0.1:5000/gantry-test/${uniqueProjectName()}:1`;
    const pull = engine.pullImage(ref, () => undefined);
    await expect(pull).rejects.toBeInstanceOf(EngineError);
    await expect(pull).rejects.toMatchObject({ operation: 'pull image', resource: ref, message: expect.stringMatching(/^could not pull image .*manifest unknown/) });
  });
});

describe('events', () => {
  it('sees start, die with the exit code, and health status of the project containers', async () => {
    const healthcheck = { test: ['CMD', 'true'], interval: SECOND, disable: false };
    const project = useTestProject({ job: { image: IMAGE, command: ['sh', '-c', 'exit 3'] }, app: { ...sleeper, healthcheck } });
    const events: ContainerEvent[] = [];
    const controller = new AbortController();
    onTestFinished(() => controller.abort());
    const watching = engine.watchContainers(projectFilter(project.name), (e) => events.push(e), { signal: controller.signal });

    const job = await runService(project, 'job');
    const app = await runService(project, 'app');
    await eventually(() => {
      expect(events).toContainEqual(expect.objectContaining({ id: job, action: 'start' }));
      expect(events).toContainEqual(expect.objectContaining({ id: job, action: 'die', exitCode: 3 }));
      expect(events).toContainEqual(expect.objectContaining({ id: app, action: 'health_status: healthy' }));
    });
    expect(events.every((e) => e.labels['com.docker.compose.project'] === project.name)).toBe(true);
    expect((await engine.inspectContainer(app)).health).toBe('healthy');

    controller.abort();
    await expect(watching).resolves.toBeUndefined();
  });

  it('narrows a watch to the named containers and actions on the engine side (kill and die of a stop)', async () => {
    const project = useTestProject({ a: sleeper, b: sleeper });
    const a = await runService(project, 'a');
    const b = await runService(project, 'b');
    const events: ContainerEvent[] = [];
    const controller = new AbortController();
    onTestFinished(() => controller.abort());
    const watching = engine.watchContainers({}, (e) => events.push(e), { signal: controller.signal, containers: [a], actions: ['kill', 'die'] });
    await Promise.all([engine.stopContainer(a), engine.stopContainer(b)]);
    await eventually(() => expect(events.map((e) => e.action)).toEqual(['kill', 'die']));
    expect(events.every((e) => e.id === a)).toBe(true);
    controller.abort();
    await expect(watching).resolves.toBeUndefined();
  });
});

describe('connection', () => {
  it.each([
    ['the host option', () => createDockerEngine({ host: 'unix:///tmp/nonexistent.sock' })],
    ['DOCKER_HOST', () => {
      vi.stubEnv('DOCKER_HOST', 'unix:///tmp/nonexistent.sock');
      onTestFinished(() => void vi.unstubAllEnvs());
      return createDockerEngine();
    }],
  ])('names an unreachable engine given by %s', async (_title, create: () => Engine) => {
    const unreachable = create();
    expect(unreachable.endpoint).toBe('unix:///tmp/nonexistent.sock');
    const error = await unreachable.listContainers({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ message: 'cannot reach the Docker Engine at unix:///tmp/nonexistent.sock — is dockerd running?', hint: expect.any(String) });
  });
});
