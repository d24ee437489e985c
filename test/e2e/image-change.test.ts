// `up` recreates a container when the image its service names now resolves to another image id
// (a re-tag, a pull, a build), as compose v2 does, and keeps it when a rebuild gives the same
// image. `plan` names both ids. Real CLI, real engine, images built offline from the test image.
import { randomBytes } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { gantryIn, gantryOk, identity, inspectContainer, testdata, useEmptyDir } from '../support/engine-state.js';
import { TEST_IMAGE, docker, dockerOk, removeProject, useProject } from '../support/project.js';

/** A tag of the test image for this test alone; it and every image built for the project go when the test ends. */
function useTaggedImage(project: string): string {
  const tag = `gantry-t-image-${randomBytes(4).toString('hex')}:1`;
  onTestFinished(async () => {
    await removeProject(project);
    const built = (await docker(['images', '-q', '--filter', `label=gantry.test.project=${project}`])).stdout.split('\n').filter(Boolean);
    const labelled = (await docker(['images', '-q', '--filter', `label=com.docker.compose.project=${project}`])).stdout.split('\n').filter(Boolean);
    for (const image of [tag, ...new Set([...built, ...labelled])]) await docker(['image', 'rm', '-f', image]);
  });
  return tag;
}

/** The scenario both tests start from: the project up on a fresh tag, then the tag moved to a new image. */
async function upThenRetag(project: string, label: string): Promise<{ dir: string; env: Record<string, string>; tag: string; before: Awaited<ReturnType<typeof identity>>; oldId: string; newId: string }> {
  const tag = useTaggedImage(project);
  const dir = testdata('image-change');
  const env = { APP_IMAGE: tag };
  await dockerOk(['tag', TEST_IMAGE, tag]);
  await gantryOk(dir, ['-p', project, 'up', '-d'], env);
  const before = await identity(`${project}-app-1`);
  const oldId = await imageId(tag);
  // Move the tag to another image: the test image plus one label.
  await dockerOk(['build', '-q', '-t', tag, '--label', `gantry.test.project=${project}`, '-'], { input: `FROM ${TEST_IMAGE}\nLABEL gantry.test.changed=${label}\n` });
  return { dir, env, tag, before, oldId, newId: await imageId(tag) };
}

async function imageId(ref: string): Promise<string> {
  return (await dockerOk(['image', 'inspect', '-f', '{{.Id}}', ref])).trim();
}

/** 'sha256:' and the first 12 hex digits, as the plan shortens ids. */
const short = (id: string): string => `${id.slice(0, 'sha256:'.length + 12)}…`;

describe('up after the image a service names changed', () => {
  it('plan names the old and new image ids, and up recreates that one service only', async () => {
    const project = useProject();
    const { dir, env, before: appBefore, oldId, newId } = await upThenRetag(project, 'yes');
    // The other service's image did not change: its container must stay as it is.
    const before = { app: appBefore, other: await identity(`${project}-other-1`) };
    expect(newId).not.toBe(oldId);

    const plan = await gantryOk(dir, ['-p', project, 'plan'], env);
    expect(plan.stdout).toBe([
      `Plan for project ${project}:`,
      `  recreate container ${project}-app-1 (image changed: ${short(oldId)} → ${short(newId)})`,
      `  keep container ${project}-other-1 (running)`,
      'Summary: 1 to recreate, 1 unchanged',
      '',
    ].join('\n'));
    expect((await identity(`${project}-app-1`)).id).toBe(before.app.id);

    const up = await gantryOk(dir, ['-p', project, '--progress', 'plain', 'up', '-d'], env);
    expect(up.stderr).toMatch(new RegExp(`Container ${project}-app-1 +Recreated`));
    const app = await inspectContainer(`${project}-app-1`);
    expect(app.Id).not.toBe(before.app.id);
    expect(app.Image).toBe(newId);
    // As compose v2 labels it, so `docker compose up` agrees the container is current.
    expect(app.Config.Labels['com.docker.compose.image']).toBe(newId);
    expect(await identity(`${project}-other-1`)).toEqual(before.other);

    expect((await gantryOk(dir, ['-p', project, 'plan'], env)).stdout).toContain('Summary: 2 unchanged\n');
  });

  it('--no-recreate keeps the container on its old image', async () => {
    const project = useProject();
    const { dir, env, before } = await upThenRetag(project, 'no-recreate');
    await gantryOk(dir, ['-p', project, 'up', '-d', '--no-recreate'], env);
    expect(await identity(`${project}-app-1`)).toEqual(before);
  });
});

describe('up --build', () => {
  it('keeps the container when the rebuilt image is the same, and says so in the plan first', async () => {
    const project = useProject();
    useTaggedImage(project);
    const dir = testdata('build-rebuild');
    const env = { STAMP: 'same' };
    await gantryOk(dir, ['-p', project, 'up', '-d'], env);
    const before = await identity(`${project}-app-1`);

    const plan = await gantryOk(dir, ['-p', project, 'plan', '--build'], env);
    expect(plan.stdout).toContain([
      `  build image ${project}-app (--build)`,
      `  keep container ${project}-app-1 (running)`,
      `    its image ${project}-app is built first; the container is recreated only if the build gives a different image`,
    ].join('\n'));

    const rebuilt = await gantryIn(dir, ['-p', project, '--progress', 'plain', 'up', '-d', '--build'], env);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stderr).toMatch(/Service app +Built/);
    expect(rebuilt.stderr).toMatch(new RegExp(`Container ${project}-app-1 +Running`));
    expect(await identity(`${project}-app-1`)).toEqual(before);
  });
});

describe('run after the image of a dependency changed', () => {
  it('recreates the dependency before the one-off starts, as up would', async () => {
    const project = useProject();
    const tag = useTaggedImage(project);
    const dir = useEmptyDir();
    writeFileSync(path.join(dir, 'compose.yaml'), `services:
  dep:
    image: ${tag}
    init: true
    command: ["sleep", "300"]
  tool:
    image: ${TEST_IMAGE}
    depends_on: [dep]
`);
    await dockerOk(['tag', TEST_IMAGE, tag]);
    await gantryOk(dir, ['-p', project, 'run', '--rm', '-T', 'tool', 'true']);
    const before = await identity(`${project}-dep-1`);
    await dockerOk(['build', '-q', '-t', tag, '--label', `gantry.test.project=${project}`, '-'], { input: `FROM ${TEST_IMAGE}\nLABEL gantry.test.changed=run\n` });
    const newId = await imageId(tag);

    await gantryOk(dir, ['-p', project, 'run', '--rm', '-T', 'tool', 'true']);
    const dep = await inspectContainer(`${project}-dep-1`);
    expect(dep.Id).not.toBe(before.id);
    expect(dep.Image).toBe(newId);
    expect(dep.State.Running).toBe(true);
  });
});
