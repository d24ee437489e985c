// `gantry up -d --wait` on the real engine: it returns once services are running and healthy
// (a one-shot that exited 0 counts as ready), and fails, naming the service and why, when one
// becomes unhealthy or the --wait-timeout passes, within a bounded time.
import { describe, expect, it } from 'vitest';
import { gantryIn, inspectContainer, testdata } from '../support/engine-state.js';
import { useProject } from '../support/project.js';

describe('up -d --wait', () => {
  it('returns 0 once the healthchecked service is healthy and the one-shot has exited 0', async () => {
    const project = useProject();
    const r = await gantryIn(testdata('wait-ready'), ['-p', project, 'up', '-d', '--wait']);
    expect(r.code, r.stderr).toBe(0);
    const api = await inspectContainer(`${project}-api-1`);
    expect(api.State.Health?.Status).toBe('healthy');
    const migrate = await inspectContainer(`${project}-migrate-1`);
    expect([migrate.State.Status, migrate.State.ExitCode]).toEqual(['exited', 0]);
    expect(r.stderr).toMatch(/Container \S+-api-1 +Healthy/);
  });

  it('fails with 1 naming the unhealthy service and its last check output, without waiting for more', async () => {
    const project = useProject();
    const started = Date.now();
    const r = await gantryIn(testdata('wait-unhealthy'), ['-p', project, 'up', '-d', '--wait']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`container ${project}-bad-1 is unhealthy: database not reachable`);
    expect(r.stderr).not.toContain(`${project}-good-1 is`);
    // Two failed checks 1 s apart, plus start-up: far below any timeout.
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('gives up after --wait-timeout and says it timed out', async () => {
    const project = useProject();
    const started = Date.now();
    const r = await gantryIn(testdata('wait-timeout'), ['-p', project, 'up', '-d', '--wait', '--wait-timeout', '3']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('timed out after 3s (--wait-timeout)');
    expect(r.stderr).toContain(`container ${project}-slow-1 did not become healthy in time`);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
