// The README's first command: the demo stack comes up in dependency order, serves its page from
// the published port, and `down -v` leaves nothing of the project behind.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { docker } from '../support/project.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');

it('npm run demo brings the demo stack up, serves the page and removes everything', async () => {
  const { stdout, stderr } = await run('bash', ['scripts/demo.sh'], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
  expect(stdout).toContain('Hello from the Gantry demo stack');
  expect(stdout).toMatch(/gantry-demo-migrate-1 .*Exited \(0\)/);
  expect(stdout).toMatch(/gantry-demo-web-1 .*127\.0\.0\.1:18080->8080\/tcp/);
  // Start order follows depends_on: store healthy → migrate done → api healthy → web started.
  const order = ['gantry-demo-store-1    Healthy', 'gantry-demo-migrate-1  Exited', 'gantry-demo-api-1      Healthy', 'gantry-demo-web-1      Started'];
  const positions = order.map((line) => stderr.indexOf(line));
  expect(positions.every((p) => p >= 0)).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  const left = await docker(['ps', '-aq', '--filter', 'label=com.docker.compose.project=gantry-demo']);
  const volumes = await docker(['volume', 'ls', '-q', '--filter', 'label=com.docker.compose.project=gantry-demo']);
  expect(left.stdout.trim()).toBe('');
  expect(volumes.stdout.trim()).toBe('');
});
