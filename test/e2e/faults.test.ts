// Faults and bad input on the real engine: for each, `up` exits 1 with ONE clear message on
// stderr that names the service and the cause (no stack trace), and `down` afterwards leaves
// nothing labelled with the project. Each scenario's compose.yaml is in testdata/fault-*.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { existsSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { containerNames, gantryIn, inspectContainer, resourceNames, testdata } from '../support/engine-state.js';
import { GANTRY_BIN, REGISTRY, TEST_IMAGE, docker, dockerOk, uniqueName, useProject, type RunResult } from '../support/project.js';

/** A container that was created but never started has this StartedAt. */
const NEVER_STARTED = '0001-01-01T00:00:00Z';

/** A listener on 127.0.0.1 held by the test (closed when the test finishes); returns its port. */
async function holdPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return portOf(server);
}

/** A 127.0.0.1 port where nothing listens: one the kernel just handed out and that was released. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = portOf(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the listener has no port');
  return address.port;
}

/**
 * Exit 1, nothing on stdout, and exactly one `error:` line on stderr that matches every pattern
 * (the progress lines before it may repeat the cause; they are not error messages).
 */
function expectOneClearError(result: RunResult, ...patterns: (string | RegExp)[]): string {
  const context = `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
  expect(result.code, context).toBe(1);
  expect(result.stdout, context).toBe('');
  expect(result.stderr, context).not.toMatch(/\n\s+at /);
  expect(result.stderr, context).not.toContain('internal error');
  const errors = result.stderr.split('\n').filter((line) => line.startsWith('error:'));
  expect(errors, context).toHaveLength(1);
  const message = errors[0] ?? '';
  for (const pattern of patterns) {
    if (typeof pattern === 'string') expect(message, context).toContain(pattern);
    else expect(message, context).toMatch(pattern);
  }
  return message;
}

/** `gantry down` with the same file and project succeeds and leaves nothing with the project's label. */
async function expectDownLeavesNothing(dir: string, project: string, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const down = await gantryIn(dir, ['-p', project, 'down', '-t', '1'], env);
  expect(down.code, down.stderr).toBe(0);
  expect(await containerNames(project)).toEqual([]);
  expect(await resourceNames('network', project)).toEqual([]);
  expect(await resourceNames('volume', project)).toEqual([]);
}

describe('up fails clearly, and down cleans up after it', () => {
  it('when a published port is already in use on the host', async () => {
    const project = useProject();
    const dir = testdata('fault-port-in-use');
    const port = await holdPort();
    const env = { HOST_PORT: String(port) };

    const up = await gantryIn(dir, ['-p', project, 'up', '-d'], env);
    expectOneClearError(up, 'service "web"', `127.0.0.1:${port}`, /address already in use|port is already allocated/);
    expect((await inspectContainer(`${project}-web-1`)).State.StartedAt).toBe(NEVER_STARTED);

    await expectDownLeavesNothing(dir, project, env);
  });

  it('when the registry of an image does not answer', async () => {
    const project = useProject();
    const dir = testdata('fault-pull-fails');
    const image = `127.0.0.1:${await deadPort()}/nope:1`;

    const up = await gantryIn(dir, ['-p', project, 'up', '-d'], { APP_IMAGE: image });
    expectOneClearError(up, 'service "app"', `could not pull image ${image}`, 'connection refused');
    expect(await containerNames(project)).toEqual([]);

    await expectDownLeavesNothing(dir, project, { APP_IMAGE: image });
  });

  it('when the local registry has no such tag', async () => {
    const project = useProject();
    const dir = testdata('fault-pull-fails');
    const image = `${REGISTRY}/gantry-test/busybox:${uniqueName('no-such-tag')}`;

    const up = await gantryIn(dir, ['-p', project, 'up', '-d'], { APP_IMAGE: image });
    expectOneClearError(up, 'service "app"', `could not pull image ${image}`, /not found|manifest unknown/);
    expect(await containerNames(project)).toEqual([]);

    await expectDownLeavesNothing(dir, project, { APP_IMAGE: image });
  });

  it('starts a dependent of a container that exits at once when it only needs it started', async () => {
    const project = useProject();
    const dir = testdata('fault-dependency-exits');
    const env = { DB_CONDITION: 'service_started' };

    const up = await gantryIn(dir, ['-p', project, 'up', '-d'], env);
    expect(up.code, up.stderr).toBe(0);
    expect((await inspectContainer(`${project}-web-1`)).State.Status).toBe('running');

    await expectDownLeavesNothing(dir, project, env);
  });

  it('does not start a dependent of a container that exits at once when it needs it healthy', async () => {
    const project = useProject();
    const dir = testdata('fault-dependency-exits');

    const up = await gantryIn(dir, ['-p', project, 'up', '-d'], { DB_CONDITION: 'service_healthy' });
    expectOneClearError(up, 'service "web"', 'dependency "db" exited', 'exit code 3');
    const web = await inspectContainer(`${project}-web-1`);
    expect(web.State.Status).toBe('created');
    expect(web.State.StartedAt).toBe(NEVER_STARTED);
    expect((await inspectContainer(`${project}-db-1`)).State).toMatchObject({ Status: 'exited', ExitCode: 3 });

    await expectDownLeavesNothing(dir, project);
  });

  it('does not start a dependent of a container that never gets healthy, and shows the check output', async () => {
    const project = useProject();
    const dir = testdata('fault-unhealthy');

    const up = await gantryIn(dir, ['-p', project, 'up', '-d']);
    expectOneClearError(up, 'service "web"', 'dependency "db" is unhealthy', 'db-probe-says-no');
    expect((await inspectContainer(`${project}-db-1`)).State.Health?.Status).toBe('unhealthy');
    expect((await inspectContainer(`${project}-web-1`)).State.StartedAt).toBe(NEVER_STARTED);

    await expectDownLeavesNothing(dir, project);
  });

  it('when container_name is taken by a foreign container, which it never touches', async () => {
    const project = useProject();
    const dir = testdata('fault-container-name-taken');
    const foreign = uniqueName('gantry-foreign');
    onTestFinished(async () => void (await docker(['rm', '-f', foreign])));
    const foreignId = (await dockerOk(['run', '-d', '--init', '--name', foreign, TEST_IMAGE, 'sleep', '300'])).trim();
    const env = { FOREIGN_NAME: foreign };

    const up = await gantryIn(dir, ['-p', project, 'up', '-d'], env);
    expectOneClearError(up, 'service "web"', `"/${foreign}" is already in use`);

    await expectDownLeavesNothing(dir, project, env);
    const after = await inspectContainer(foreign);
    expect(after.Id).toBe(foreignId);
    expect(after.State.Status).toBe('running');
    expect(after.Config.Labels['com.docker.compose.project']).toBeUndefined();
  });

  it('when an external network does not exist, without creating it', async () => {
    const project = useProject();
    const dir = testdata('fault-external-network-missing');
    const network = uniqueName('gantry-no-net');
    const env = { EXTERNAL_NETWORK: network };

    const up = await gantryIn(dir, ['-p', project, 'up', '-d'], env);
    const message = expectOneClearError(up, 'service "web"', `network ${network}`, 'external');
    expect(message).toContain('could not be found');
    expect((await docker(['network', 'inspect', network])).code).not.toBe(0);
    expect(await containerNames(project)).toEqual([]);

    await expectDownLeavesNothing(dir, project, env);
  });
});

describe('a reader of the progress that goes away', () => {
  it('does not stop up halfway: the progress is given up and every container still starts', async () => {
    const project = useProject();
    // `gantry up -d 2>&1 | head -1`: the pipe closes after the first line; node used to die on the
    // next write (EPIPE) with some containers created and none started.
    const child = spawn(process.execPath, [GANTRY_BIN, '-p', project, '--progress', 'plain', 'up', '-d'], {
      cwd: testdata('up-converge'), stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' },
    });
    child.stderr.once('data', () => child.stderr.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(await containerNames(project, { running: true })).toEqual([`${project}-db-1`, `${project}-web-1`, `${project}-worker-1`]);
  });
});

describe('an unreachable engine', () => {
  const host = 'unix:///tmp/nope.sock';
  const expected = `error: cannot reach the Docker Engine at ${host} — is dockerd running?`;

  it.each([['up', '-d'], ['down'], ['ps']])('makes `%s` fail with one line saying where it looked', async (...command) => {
    expect(existsSync('/tmp/nope.sock')).toBe(false);
    const project = useProject();
    const r = await gantryIn(testdata('fault-pull-fails'), ['-p', project, ...command], { DOCKER_HOST: host });
    expectOneClearError(r);
    expect(r.stderr.split('\n')[0]).toBe(expected);
  });
});
