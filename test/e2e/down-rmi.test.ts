// `down --rmi local` removes the images Gantry built for the project (named after it) and never
// an image the file names with `image:`.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { docker, REPO_ROOT, runGantry, TEST_IMAGE, uniqueProjectName, useProject } from '../support/project.js';

it('down --rmi local removes the built image and keeps images named in the file', async () => {
  const project = useProject(uniqueProjectName());
  const cwd = join(REPO_ROOT, 'test/e2e/testdata/down-rmi');
  const built = `${project}-app`;
  try {
    const up = await runGantry(['-p', project, 'up', '-d'], { cwd });
    expect(up.code, up.stderr).toBe(0);
    expect((await docker(['image', 'inspect', built])).code).toBe(0);
    const down = await runGantry(['-p', project, 'down', '--rmi', 'local'], { cwd });
    expect(down.code, down.stderr).toBe(0);
    expect((await docker(['image', 'inspect', built])).code).not.toBe(0);
    expect((await docker(['image', 'inspect', TEST_IMAGE])).code).toBe(0);
  } finally {
    await docker(['image', 'rm', '-f', built]);
  }
});
