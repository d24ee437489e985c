// The engine restarted while `up` runs (issue 7, faults). It restarts dockerd, which stops every
// container and cuts every client of the engine, so it lives in the 'disruptive' vitest project:
// one file at a time, after every e2e file has finished (vitest.config.ts). Alone:
//   npm run build && npx vitest run --project disruptive
// The restart is scripts/restart-engine.sh: it stops the dockerd named by /var/run/docker.pid,
// waits for it to exit, starts it again as scripts/engine.sh does, and returns once the socket
// answers. It restarts only an engine this test bed may restart (root, default socket, a live
// /usr/sbin/dockerd that systemd does not manage); anywhere else (Docker Desktop, DOCKER_HOST,
// a system service, no pid file) it says why, and this test is skipped with that reason.
// Never run it while something else uses the same engine (another test run, another user).
//
// What it checks:
//  - the restart happens while `up` runs: after db started, before api (gated on db healthy)
//    could, with a new dockerd pid afterwards;
//  - that `up` fails with one clear message (exit 1, one `error:` line, no stack trace): the
//    engine stopped db on shutdown, so api's healthy gate cannot be met by this run;
//  - a second `up` brings the whole project back (its stopped containers started again);
//  - the test bed survives for later tests: the test image is still on the engine and the local
//    registry (a host process, not a container) still serves it;
//  - `down -v` leaves nothing labelled with the project.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { containerNames, gantryIn, resourceNames, testdata } from '../support/engine-state.js';
import { startGantry } from '../support/gantry-process.js';
import { REGISTRY, REPO_ROOT, TEST_IMAGE, docker, run, useProject } from '../support/project.js';

const dir = testdata('engine-restart');
const script = path.join(REPO_ROOT, 'scripts', 'restart-engine.sh');

/** Whether this engine may be restarted here; the reason when not. */
async function restartable(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const check = await run('bash', [script, '--check'], { cwd: REPO_ROOT });
  if (check.code === 0) return { ok: true };
  if (check.code === 2) return { ok: false, reason: check.stdout.trim() };
  throw new Error(`restart-engine.sh --check exited ${check.code}: ${check.stderr}${check.stdout}`);
}

/** The registry's answer for the test image's manifest (200 when it is there). */
async function registryStatus(): Promise<number> {
  const [repository, tag] = TEST_IMAGE.split(':');
  const response = await fetch(`http://${REGISTRY}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
  });
  return response.status;
}

describe('the engine restarted while up runs', () => {
  it('up fails with one clear message, a second up converges, and the test bed survives', async (ctx) => {
    const check = await restartable();
    if (!check.ok) {
      console.warn(`[engine-restart] skipped: ${check.reason}`);
      ctx.skip(check.reason);
      return;
    }
    expect(await registryStatus(), 'the registry serves the test image before the restart').toBe(200);
    const project = useProject();
    const up = startGantry(['-p', project, '--progress', 'plain', 'up', '-d'], { cwd: dir });
    await up.waitFor(new RegExp(`Container ${project}-db-1\\s+Started`), { stream: 'stderr', timeoutMs: 60_000 });
    // api waits for db to be healthy (first check 5 s after start), so `up` cannot be done yet.
    expect(up.ended(), up.stdout()).toBe(false);
    const restarted = await run('bash', [script], { cwd: REPO_ROOT, timeoutMs: 150_000 });
    expect(restarted.code, `${restarted.stdout}\n${restarted.stderr}`).toBe(0);
    const [, before, after] = /pid (\d+) -> (\d+)/.exec(restarted.stdout) ?? [];
    expect(before, restarted.stdout).toBeDefined();
    expect(after, restarted.stdout).not.toBe(before);

    const first = await up.result;
    const context = `stdout:\n${first.stdout}\nstderr:\n${first.stderr}`;
    expect(first.code, context).toBe(1);
    expect(first.stderr, context).not.toMatch(/\n\s+at |internal error/);
    expect(first.stderr.split('\n').filter((l) => l.startsWith('error:')), context).toHaveLength(1);
    expect(first.stderr, context).not.toMatch(new RegExp(`Container ${project}-(api|web|worker)-1\\s+Started`));

    // The test bed, for every later test: the image survived the restart, the registry still runs.
    expect((await docker(['image', 'inspect', TEST_IMAGE])).code, `${TEST_IMAGE} is gone`).toBe(0);
    expect(await registryStatus(), 'the registry serves the test image after the restart').toBe(200);

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
