// Ctrl-C (SIGINT) and SIGTERM on the real CLI: Gantry stops launching work, lets calls in flight
// finish, exits 130, and leaves what it made labelled so `down` cleans it up.
import { spawn } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import { containerNames, gantryIn, inspectContainer, resourceNames, testdata } from '../support/engine-state.js';
import { GANTRY_BIN, PROJECT_LABEL, dockerOk, useProject } from '../support/project.js';

const NEVER_STARTED = '0001-01-01T00:00:00Z';

interface Running {
  /** Resolves once stderr matches; rejects if the process ends first or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  signal(name: NodeJS.Signals): void;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Starts `gantry ...args` in `dir` and follows its output; killed when the test finishes. */
function startGantry(dir: string, args: readonly string[]): Running {
  const child = spawn(process.execPath, [GANTRY_BIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    for (const listener of listeners) listener();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    exited,
    signal: (name) => void child.kill(name),
    waitFor: (pattern, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const done = (error?: Error): void => {
          listeners.delete(check);
          clearTimeout(timer);
          if (error) reject(error);
          else resolve();
        };
        const check = (): void => {
          if (pattern.test(stderr)) done();
        };
        const timer = setTimeout(() => done(new Error(`no ${pattern} on stderr within ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
        void exited.then(() => done(new Error(`gantry ended before ${pattern} appeared:\n${stderr}`)));
        listeners.add(check);
        check();
      }),
  };
}

/** Names of the project's containers the engine reports `action` for between two instants. */
async function eventsOf(project: string, action: string, since: Date, until: Date): Promise<string[]> {
  const out = await dockerOk([
    'events', '--since', since.toISOString(), '--until', until.toISOString(),
    '--filter', 'type=container', '--filter', `event=${action}`, '--filter', `label=${PROJECT_LABEL}=${project}`,
    '--format', '{{.Actor.Attributes.name}}',
  ]);
  return out.split('\n').filter((line) => line.trim() !== '');
}

async function expectDownLeavesNothing(dir: string, project: string): Promise<void> {
  const down = await gantryIn(dir, ['-p', project, 'down', '-t', '0']);
  expect(down.code, down.stderr).toBe(0);
  expect(await containerNames(project)).toEqual([]);
  expect(await resourceNames('network', project)).toEqual([]);
}

describe('interrupting gantry', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s while up waits for a dependency: exit 130, nothing started after it', async (signal) => {
    const project = useProject();
    const dir = testdata('interrupt-up');
    const up = startGantry(dir, ['-p', project, '--progress', 'plain', 'up', '-d']);
    await up.waitFor(new RegExp(`Container ${project}-db-1\\s+Waiting`));

    const interruptedAt = new Date();
    up.signal(signal);
    const result = await up.exited;
    const endedAt = new Date();

    expect(result.code, result.stderr).toBe(130);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toMatch(new RegExp(`Container ${project}-web-1\\s+Start`));
    expect(await eventsOf(project, 'start', interruptedAt, endedAt)).toEqual([]);
    const web = await inspectContainer(`${project}-web-1`);
    expect(web.State.Status).toBe('created');
    expect(web.State.StartedAt).toBe(NEVER_STARTED);
    expect((await inspectContainer(`${project}-db-1`)).State.Status).toBe('running');

    await expectDownLeavesNothing(dir, project);
  });

  it('SIGINT while down stops containers: exit 130 once the stop in flight ends, nothing removed after it', async () => {
    const project = useProject();
    const dir = testdata('interrupt-down');
    const up = await gantryIn(dir, ['-p', project, 'up', '-d']);
    expect(up.code, up.stderr).toBe(0);

    // -t 2: web's stop (the first, as web depends on db) lasts 2 s, as sleep ignores SIGTERM.
    const down = startGantry(dir, ['-p', project, '--progress', 'plain', 'down', '-t', '2']);
    await down.waitFor(new RegExp(`Container ${project}-web-1\\s+Stopping`));
    const interruptedAt = new Date();
    down.signal('SIGINT');
    const result = await down.exited;
    const endedAt = new Date();

    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toMatch(/Removing|Removed/);
    expect(endedAt.getTime() - interruptedAt.getTime()).toBeLessThan(8_000);
    // db was never asked to stop, and web (stopped or not) was not removed.
    expect((await inspectContainer(`${project}-db-1`)).State.Status).toBe('running');
    expect(await containerNames(project)).toEqual([`${project}-db-1`, `${project}-web-1`]);
    expect(await eventsOf(project, 'destroy', interruptedAt, new Date())).toEqual([]);
    expect(await resourceNames('network', project)).toEqual([`${project}_default`]);

    await expectDownLeavesNothing(dir, project);
  });
});
