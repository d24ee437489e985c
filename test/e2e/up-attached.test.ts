// Attached `gantry up` (no -d) on the real engine: prefixed logs of both streams, the run ending
// when the containers exit, --exit-code-from / --abort-on-container-exit for CI, containers that
// start late, and Ctrl-C stopping the containers (exit 130). Scenarios live in testdata/.
import { describe, expect, it } from 'vitest';
import { gantryIn, inspectContainer, testdata } from '../support/engine-state.js';
import { startGantry } from '../support/gantry-process.js';
import { useProject } from '../support/project.js';

describe('attached up', () => {
  it('streams stdout and stderr with aligned prefixes and returns 0 once every container exited', async () => {
    const project = useProject();
    const r = await gantryIn(testdata('attach-streams'), ['-p', project, 'up']);
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout.split('\n');
    expect(out[0]).toBe('Attaching to job-1, talker-1');
    // One width for all: the longest name ("talker-1") plus one space, then " | ".
    expect(out).toEqual(expect.arrayContaining(['talker-1  | out-one', 'talker-1  | out-two', 'job-1     | job-done', 'talker-1 exited with code 0', 'job-1 exited with code 0']));
    expect(out.indexOf('talker-1  | out-one')).toBeLessThan(out.indexOf('talker-1  | out-two'));
    // A container's last lines come before its exit status.
    expect(out.indexOf('talker-1  | out-two')).toBeLessThan(out.indexOf('talker-1 exited with code 0'));
    expect(r.stderr).toContain('talker-1  | err-one\n');
    expect(r.stdout).not.toContain('err-one');
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('drops the prefixes with --no-log-prefix and adds engine timestamps with --timestamps', async () => {
    const project = useProject();
    const r = await gantryIn(testdata('attach-streams'), ['-p', project, 'up', '--no-log-prefix', '--timestamps', 'job']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z job-done$/m);
    expect(r.stdout).not.toContain('| ');
  });

  it('exits with the code of the --exit-code-from service, stopping the others', async () => {
    const project = useProject();
    const r = await gantryIn(testdata('attach-exit'), ['-p', project, 'up', '--exit-code-from', 'tests']);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toContain('tests-1   | testing');
    expect(r.stdout).toContain('tests-1 exited with code 3');
    expect(r.stdout).toContain('Aborting on container exit...');
    expect((await inspectContainer(`${project}-server-1`)).State.Status).toBe('exited');
  });

  it('stops the long-running service when a short one exits (--abort-on-container-exit)', async () => {
    const project = useProject();
    const r = await gantryIn(testdata('attach-exit'), ['-p', project, 'up', '--abort-on-container-exit']);
    // Like compose: the code of the container that exited first.
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/Container \S+-server-1 +Stopped/);
    const server = await inspectContainer(`${project}-server-1`);
    expect(server.State.Status).toBe('exited');
  });

  it('picks up a service that starts after its dependency got healthy, and shows only --attach services', async () => {
    const project = useProject();
    const dir = testdata('attach-late');
    const first = await gantryIn(dir, ['-p', project, 'up', '--attach', 'web']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Attaching to web-1\n');
    expect(first.stdout).toContain('web-1  | web-started');
    expect(first.stdout).not.toContain('db-up');
    // Again, leaving db out with --no-attach: web runs again, and its first run's line is not repeated.
    const second = await gantryIn(dir, ['-p', project, 'up', '--no-attach', 'db']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.match(/web-started/g)).toHaveLength(1);
    expect(second.stdout).not.toContain('db-up');
  });

  it('stops the containers gracefully on Ctrl-C and exits 130', async () => {
    const project = useProject();
    const up = startGantry(['-p', project, 'up', 'server'], { cwd: testdata('attach-exit') });
    await up.waitFor('server-1  | server-up');
    up.signal('SIGINT');
    const r = await up.result;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('Gracefully stopping... (press Ctrl+C again to force)');
    const server = await inspectContainer(`${project}-server-1`);
    // init: true forwards SIGTERM, so the graceful stop ends it (143), not the kill after 10 s.
    expect([server.State.Status, server.State.ExitCode]).toEqual(['exited', 143]);
  });

  it('refuses flags that need an attached up with -d', async () => {
    const r = await gantryIn(testdata('attach-exit'), ['-p', useProject(), 'up', '-d', '--exit-code-from', 'tests']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--exit-code-from and -d cannot be used together');
  });
});
