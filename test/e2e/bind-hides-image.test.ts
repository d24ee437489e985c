// The bind-mount hint against a real engine: an image built with `COPY index.html /srv/site/`, and
// a service bind-mounting a temp dir over /srv/site. `plan` hints only once the image exists
// (it never pulls or builds for a hint), at the volume entry's line; a mount beside the image's
// files, --quiet-hints and GANTRY_HINTS=0 give none.
import { expect, it, onTestFinished } from 'vitest';
import { gantryOk, testdata, useEmptyDir } from '../support/engine-state.js';
import { docker, uniqueProjectName, useProject } from '../support/project.js';

it('plan hints that a bind mount hides the directory the built image filled, and not once it mounts beside it', async () => {
  const project = useProject(uniqueProjectName());
  onTestFinished(async () => void (await docker(['image', 'rm', '-f', `${project}-web`])));
  const dir = testdata('bind-hides-image');
  const hostDir = useEmptyDir();
  const env = { GANTRY_TEST_BIND_DIR: hostDir };
  const hint = `HINT compose.yaml:9:9  service "web" bind-mounts ${hostDir} over /srv/site, hiding the files image "${project}-web" put at /srv/site`;

  // Not built yet: no image to read, so no hint (and nothing is pulled or built for one).
  expect((await gantryOk(dir, ['-p', project, 'plan'], env)).stderr).not.toContain('HINT');
  expect((await docker(['image', 'inspect', `${project}-web`])).code).not.toBe(0);

  await gantryOk(dir, ['-p', project, 'build'], env);
  const plan = await gantryOk(dir, ['-p', project, 'plan'], env);
  expect(plan.stderr).toContain(`${hint} (COPY file:`);
  expect(plan.stderr).toContain('     fix: use a named volume (a new one starts with the image\'s files), mount a subdirectory, or remove the bind mount');
  expect(plan.stdout).toContain(`create container ${project}-web-1`);

  expect((await gantryOk(dir, ['-p', project, '--quiet-hints', 'plan'], env)).stderr).not.toContain('HINT');
  expect((await gantryOk(dir, ['-p', project, 'plan'], { ...env, GANTRY_HINTS: '0' })).stderr).not.toContain('HINT');
  expect((await gantryOk(dir, ['-p', project, 'plan'], { ...env, GANTRY_TEST_BIND_TARGET: '/srv/other' })).stderr).not.toContain('HINT');
});
