// DOCKER_HOST=tcp://… reaches the engine over TCP. The test relays a loopback port to the local
// unix socket, so every API call of up, ps and down crosses that TCP connection.
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { docker, REPO_ROOT, runGantry, uniqueProjectName, useProject } from '../support/project.js';

const SOCKET = '/var/run/docker.sock';
let relay: Server;
let connections = 0;
let host = '';

beforeAll(async () => {
  relay = createServer((client) => {
    connections += 1;
    const engine = createConnection(SOCKET);
    client.pipe(engine).pipe(client);
    client.on('error', () => engine.destroy());
    engine.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const address = relay.address();
  if (address === null || typeof address === 'string') throw new Error('relay has no port');
  host = `tcp://127.0.0.1:${address.port}`;
});

afterAll(() => new Promise<void>((resolve) => relay.close(() => resolve())));

it.skipIf(process.env.DOCKER_HOST !== undefined)('runs up, ps and down through DOCKER_HOST=tcp://127.0.0.1:PORT', async () => {
  const project = useProject(uniqueProjectName());
  const cwd = join(REPO_ROOT, 'test/e2e/testdata/docker-host-tcp');
  const env = { DOCKER_HOST: host };
  const up = await runGantry(['-p', project, 'up', '-d'], { cwd, env });
  expect(up.code, up.stderr).toBe(0);
  const before = connections;
  const ps = await runGantry(['-p', project, 'ps', '--format', 'json'], { cwd, env });
  expect(ps.code, ps.stderr).toBe(0);
  expect(connections).toBeGreaterThan(before);
  expect(JSON.parse(ps.stdout.trim().split('\n')[0] ?? '{}')).toMatchObject({ Name: `${project}-app-1`, State: 'running' });
  const down = await runGantry(['-p', project, 'down'], { cwd, env });
  expect(down.code, down.stderr).toBe(0);
  expect((await docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`])).stdout.trim()).toBe('');
});
