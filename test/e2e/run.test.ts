// `gantry run` on the real engine: dependencies first, compose's one-off names and labels, ports
// only on request, the overrides (-e -v -w -u --entrypoint --name), stdin, exit codes, --rm on
// success, failure, a killed container and Ctrl-C, and `down` removing one-offs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectContainer, testdata } from '../support/engine-state.js';
import { startGantry } from '../support/gantry-process.js';
import { freePort, PROJECT_LABEL, docker, dockerOk, eventually, removeProject, runGantry, uniqueProjectName, useProject } from '../support/project.js';

const dir = testdata('run');
const project = uniqueProjectName();
let env: NodeJS.ProcessEnv = {};
const gantry = (args: readonly string[], options: { input?: string; name?: string } = {}) =>
  runGantry(['-p', options.name ?? project, ...args], { cwd: dir, env, ...(options.input === undefined ? {} : { input: options.input }) });

/** One-off containers of a project, in any state. */
async function oneOffs(name = project): Promise<string[]> {
  const r = await dockerOk(['ps', '-aq', '--filter', `label=${PROJECT_LABEL}=${name}`, '--filter', 'label=com.docker.compose.oneoff=True']);
  return r.split('\n').filter(Boolean);
}

describe('run', () => {
  beforeAll(async () => {
    env = { RUN_WEB_PORT: String(await freePort()) };
  });
  afterAll(async () => {
    await removeProject(project);
  });

  it('starts the dependencies, waits until they are healthy, and exits with the command\'s code; --rm leaves nothing', async () => {
    const r = await gantry(['run', '--rm', 'web', 'sh', '-c', 'wget -q -O - http://db:8080/; exit 3']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toBe('db-data\n');
    const db = await inspectContainer(`${project}-db-1`);
    expect(db.State.Health?.Status).toBe('healthy');
    // Only the dependency is up: run never creates the service's own container.
    expect((await docker(['container', 'inspect', `${project}-web-1`])).code).not.toBe(0);
    expect(await oneOffs()).toEqual([]);
  });

  it('names and labels a one-off as compose does, publishes no port, and hides it from ps', async () => {
    const r = await gantry(['run', '-d', 'web', 'sleep', '60']);
    expect(r.code, r.stderr).toBe(0);
    const id = r.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const c = await inspectContainer(id);
    const slug = c.Config.Labels['com.docker.compose.slug'] ?? '';
    expect(slug).toMatch(/^[0-9a-f]{64}$/);
    expect(c.Name).toBe(`/${project}-web-run-${slug.slice(0, 12)}`);
    expect(c.Config.Labels).toMatchObject({
      'com.docker.compose.project': project,
      'com.docker.compose.service': 'web',
      'com.docker.compose.oneoff': 'True',
      'com.docker.compose.container-number': '-1',
    });
    expect(Object.values(c.NetworkSettings.Ports).flatMap((bindings) => bindings ?? [])).toEqual([]);
    // No restart policy, and no answer to the service's name on the network.
    expect((await dockerOk(['inspect', '--format', '{{.HostConfig.RestartPolicy.Name}}', id])).trim()).toMatch(/^(no)?$/);
    expect(c.NetworkSettings.Networks[`${project}_default`]?.Aliases ?? []).not.toContain('web');
    const ps = await gantry(['ps', '-a', '-q']);
    expect(ps.stdout).not.toContain(id);
    await docker(['rm', '-f', id]);
  });

  it('publishes the service\'s ports with --service-ports, and others with -p', async () => {
    const extra = await freePort();
    const servicePorts = await gantry(['run', '-d', '--service-ports', 'web']);
    const published = await gantry(['run', '-d', '-p', `127.0.0.1:${extra}:8080`, 'web']);
    expect(servicePorts.code, servicePorts.stderr).toBe(0);
    expect(published.code, published.stderr).toBe(0);
    const bindings = async (id: string) => (await inspectContainer(id)).NetworkSettings.Ports['8080/tcp'];
    expect(await bindings(servicePorts.stdout.trim())).toEqual([{ HostIp: '127.0.0.1', HostPort: env.RUN_WEB_PORT }]);
    expect(await bindings(published.stdout.trim())).toEqual([{ HostIp: '127.0.0.1', HostPort: String(extra) }]);
    await docker(['rm', '-f', servicePorts.stdout.trim(), published.stdout.trim()]);
  });

  it('applies -e, -v, -w, -u and --entrypoint', async () => {
    const r = await gantry([
      'run', '--rm', '-e', 'A=1', '-v', './data:/data:ro', '-w', '/data', '-u', 'nobody', '--entrypoint', 'sh -c',
      'web', 'echo "$A $FROM_FILE"; cat file.txt; pwd; id -u',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('1 file\nfrom the host\n/data\n65534\n');
  });

  it('names the container with --name', async () => {
    const name = `${project}-custom`;
    const r = await gantry(['run', '-d', '--name', name, 'web', 'sleep', '60']);
    expect(r.code, r.stderr).toBe(0);
    expect((await inspectContainer(name)).Config.Labels['com.docker.compose.oneoff']).toBe('True');
    await docker(['rm', '-f', name]);
  });

  it('streams stdin to the command', async () => {
    const r = await gantry(['run', '--rm', '-T', 'web', 'cat'], { input: 'piped in\n' });
    expect(r).toMatchObject({ code: 0, stdout: 'piped in\n' });
  });

  it('passes on the exit code of a container that dies while attached, and --rm removes it', async () => {
    const attached = startGantry(['-p', project, 'run', '--rm', 'web', 'sh', '-c', 'echo started; sleep 100'], { cwd: dir, env });
    await attached.waitFor('started');
    const [id] = (await dockerOk(['ps', '-q', '--filter', `label=${PROJECT_LABEL}=${project}`, '--filter', 'label=com.docker.compose.oneoff=True', '--filter', 'status=running'])).split('\n');
    await dockerOk(['kill', id ?? '']);
    expect((await attached.result).code).toBe(137);
    await eventually(async () => expect((await docker(['container', 'inspect', id ?? ''])).code).not.toBe(0));
  });

  it('passes the first Ctrl-C to the container and removes it with --rm', async () => {
    const attached = startGantry(['-p', project, 'run', '--rm', 'web', 'sh', '-c', 'trap "echo got-int; exit 42" INT; echo started; while true; do sleep 0.1; done'], { cwd: dir, env });
    await attached.waitFor('started');
    attached.signal('SIGINT');
    const r = await attached.result;
    expect(r.code, r.stderr).toBe(42);
    expect(r.stdout).toContain('got-int');
    await eventually(async () => expect(await oneOffs()).toEqual([]));
  });

  it('exits 127 for a command the image does not have, and removes the container', async () => {
    const r = await gantry(['run', '--rm', 'web', 'no-such-command']);
    expect(r.code).toBe(127);
    expect(r.stdout + r.stderr).toContain('no-such-command');
    await eventually(async () => expect(await oneOffs()).toEqual([]));
  });

  it('names a service the file does not define', async () => {
    const r = await gantry(['run', '--rm', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no such service: nope');
  });

  it('starts nothing else with --no-deps, but still creates the network', async () => {
    const other = useProject();
    const r = await gantry(['run', '--rm', '--no-deps', 'web', 'echo', 'alone'], { name: other });
    expect(r).toMatchObject({ code: 0, stdout: 'alone\n' });
    expect((await dockerOk(['ps', '-aq', '--filter', `label=${PROJECT_LABEL}=${other}`])).trim()).toBe('');
    expect((await dockerOk(['network', 'ls', '-q', '--filter', `label=${PROJECT_LABEL}=${other}`])).trim()).not.toBe('');
  });

  it('leaves one-offs to down, which removes them with the rest', async () => {
    expect((await gantry(['run', '-d', 'web', 'sleep', '60'])).code).toBe(0);
    expect(await oneOffs()).toHaveLength(1);
    const r = await gantry(['down', '-t', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect((await dockerOk(['ps', '-aq', '--filter', `label=${PROJECT_LABEL}=${project}`])).trim()).toBe('');
  });
});

