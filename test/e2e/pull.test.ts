// Pulling from the real local registry (scripts/registry.sh): `up` pulls what is missing with
// progress, follows pull_policy, and `--pull` overrides it. The file pushes its own uniquely
// tagged copy of the test image, so removing it locally never disturbs other tests.
import { describe, expect, it } from 'vitest';
import { containerNames, gantryIn, inspectContainer, resourceNames, testdata } from '../support/engine-state.js';
import { TEST_IMAGE, docker, dockerOk, eventually, useProject, type RunResult } from '../support/project.js';
import { useRegistryCopy } from '../support/registry.js';

const { image: IMAGE } = useRegistryCopy('pull');
const dir = testdata('pull');

async function removeLocally(): Promise<void> {
  await docker(['image', 'rm', IMAGE]);
  expect(await isPresent()).toBe(false);
}

async function makePresent(): Promise<void> {
  await dockerOk(['tag', TEST_IMAGE, IMAGE]);
}

async function isPresent(): Promise<boolean> {
  return (await docker(['image', 'inspect', IMAGE])).code === 0;
}

/** The engine's own record of pulls of IMAGE since `since`: proof that a pull happened, or not. */
async function pullsSince(since: Date): Promise<number> {
  const out = await dockerOk([
    'events', '--since', since.toISOString(), '--until', new Date().toISOString(),
    '--filter', 'type=image', '--filter', 'event=pull', '--format', '{{.Actor.ID}}',
  ]);
  return out.split('\n').filter((id) => id.trim() === IMAGE).length;
}

function up(project: string, args: readonly string[] = [], policy = 'missing'): Promise<RunResult> {
  return gantryIn(dir, ['-p', project, '--progress', 'plain', 'up', '-d', ...args], { PULL_IMAGE: IMAGE, PULL_POLICY: policy });
}

function expectUp(result: RunResult): void {
  expect(result.code, `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(0);
  expect(result.stdout).toBe('');
}

function progressLines(result: RunResult): string[] {
  const label = `Image ${IMAGE}`;
  return result.stderr.split('\n').filter((line) => line.trim().startsWith(label)).map((line) => line.trim().slice(label.length).trim());
}

/** Exit 1 with one error line naming the service, the image and the rule, and nothing created. */
async function expectRefused(result: RunResult, project: string, rule: string): Promise<void> {
  expect(result.code, result.stderr).toBe(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  const errors = result.stderr.split('\n').filter((line) => line.startsWith('error:'));
  expect(errors).toEqual([`error: service "app": image ${IMAGE} is not on the engine, and ${rule} forbids pulling it`]);
  expect(await containerNames(project)).toEqual([]);
  expect(await resourceNames('network', project)).toEqual([]);
  expect(await isPresent()).toBe(false);
}

describe('pulling images', () => {
  it('pulls a missing image before creating the container, with progress on stderr', async () => {
    const project = useProject();
    await removeLocally();
    const since = new Date();

    const result = await up(project);
    expectUp(result);
    const progress = progressLines(result);
    expect(progress[0]).toBe('Pulling');
    expect(progress.at(-1)).toBe('Pulled');
    expect(progress.filter((line) => line.startsWith('Pulling ')).length).toBeGreaterThan(0);
    expect(await isPresent()).toBe(true);
    await eventually(async () => expect(await pullsSince(since)).toBe(1));
    const app = await inspectContainer(`${project}-app-1`);
    expect(app.State.Status).toBe('running');
  });

  it('refuses a missing image under pull_policy: never, before creating anything', async () => {
    const project = useProject();
    await removeLocally();
    const since = new Date();

    await expectRefused(await up(project, [], 'never'), project, 'pull_policy: never');
    expect(await pullsSince(since)).toBe(0);
  });

  it('pulls under pull_policy: always even when the image is present', async () => {
    const project = useProject();
    await makePresent();
    const since = new Date();

    const result = await up(project, [], 'always');
    expectUp(result);
    expect(progressLines(result)).toContain('Pulled');
    await eventually(async () => expect(await pullsSince(since)).toBe(1));
  });

  it('does not pull a present image under pull_policy: missing', async () => {
    const project = useProject();
    await makePresent();
    const since = new Date();

    const result = await up(project);
    expectUp(result);
    expect(progressLines(result)).toEqual([]);
    expect(await pullsSince(since)).toBe(0);
  });

  it('--pull never refuses a missing image', async () => {
    const project = useProject();
    await removeLocally();
    await expectRefused(await up(project, ['--pull', 'never']), project, '--pull never');
  });

  it('--pull always pulls a present image whatever the policy', async () => {
    const project = useProject();
    await makePresent();
    const since = new Date();

    const result = await up(project, ['--pull', 'always'], 'missing');
    expectUp(result);
    expect(progressLines(result)).toContain('Pulled');
    await eventually(async () => expect(await pullsSince(since)).toBe(1));
  });

  it('--pull missing pulls a missing image even under pull_policy: never', async () => {
    const project = useProject();
    await removeLocally();
    const since = new Date();

    const result = await up(project, ['--pull', 'missing'], 'never');
    expectUp(result);
    expect(progressLines(result)).toContain('Pulled');
    expect(await isPresent()).toBe(true);
    await eventually(async () => expect(await pullsSince(since)).toBe(1));
    expect((await inspectContainer(`${project}-app-1`)).State.Status).toBe('running');
  });

  it('--pull never starts from a present image without pulling', async () => {
    const project = useProject();
    await makePresent();
    const since = new Date();

    const result = await up(project, ['--pull', 'never'], 'always');
    expectUp(result);
    expect(progressLines(result)).toEqual([]);
    expect(await pullsSince(since)).toBe(0);
  });
});
