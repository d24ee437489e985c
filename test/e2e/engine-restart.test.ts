// The engine restarted while `up` runs. SKIPPED in the normal run: restarting dockerd breaks every
// other test (and every other user of the engine) running at that moment, and the e2e project
// runs files in parallel on one shared engine.
//
// To run it by hand, on an engine nothing else uses, give the command that restarts the engine
// and returns once it answers again, e.g. here (dockerd started by scripts/engine.sh):
//   GANTRY_E2E_RESTART_ENGINE='kill $(cat /var/run/docker.pid); while [ -e /var/run/docker.pid ]; do sleep 0.2; done; bash scripts/engine.sh' \
//     npx vitest run --project e2e test/e2e/engine-restart.test.ts
// What it checks: `up` either finishes or fails with one clear message (exit 1, no stack trace);
// a second `up` then brings the project back whole, and `down -v` leaves nothing labelled.
import { describe, expect, it } from 'vitest';
import { containerNames, gantryIn, resourceNames, testdata } from '../support/engine-state.js';
import { startGantry } from '../support/gantry-process.js';
import { REPO_ROOT, run, useProject } from '../support/project.js';

const restart = process.env.GANTRY_E2E_RESTART_ENGINE;
const itWhenAsked = restart === undefined || restart === '' ? it.skip : it;
const dir = testdata('engine-restart');

describe('the engine restarted while up runs', () => {
  itWhenAsked('fails clearly or finishes, and a second up then converges', async () => {
    const project = useProject();
    const up = startGantry(['-p', project, '--progress', 'plain', 'up', '-d'], { cwd: dir });
    await up.waitFor(new RegExp(`Container ${project}-db-1\\s+Started`), { stream: 'stderr' });
    const restarted = await run('sh', ['-c', restart ?? ''], { cwd: REPO_ROOT, timeoutMs: 120_000 });
    expect(restarted.code, restarted.stderr).toBe(0);

    const first = await up.result;
    const context = `stdout:\n${first.stdout}\nstderr:\n${first.stderr}`;
    expect([0, 1], context).toContain(first.code);
    expect(first.stderr, context).not.toMatch(/\n\s+at |internal error/);
    if (first.code === 1) expect(first.stderr.split('\n').filter((l) => l.startsWith('error:')), context).toHaveLength(1);

    const again = await gantryIn(dir, ['-p', project, 'up', '-d']);
    expect(again.code, again.stderr).toBe(0);
    expect(await containerNames(project, { running: true })).toEqual(['api', 'db', 'web', 'worker'].map((s) => `${project}-${s}-1`));
    expect(await resourceNames('network', project)).toEqual([`${project}_default`]);

    const down = await gantryIn(dir, ['-p', project, 'down', '-v', '-t', '1']);
    expect(down.code, down.stderr).toBe(0);
    expect(await containerNames(project)).toEqual([]);
    expect(await resourceNames('network', project)).toEqual([]);
    expect(await resourceNames('volume', project)).toEqual([]);
  });
});
