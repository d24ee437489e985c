// examples/build-app runs as its header says: `up -d --wait` builds the app image (multi-stage),
// starts the healthchecked database first, and the app serves its page and the database's answer.
import path from 'node:path';
import { onTestFinished, describe, expect, it } from 'vitest';
import { gantryIn } from '../support/engine-state.js';
import { freePort, REPO_ROOT, docker, removeProject, uniqueProjectName, fetchWithin } from '../support/project.js';

const dir = path.join(REPO_ROOT, 'examples', 'build-app');

describe('examples/build-app', () => {
  it('builds the app, waits for the database, and serves both', async () => {
    const project = uniqueProjectName();
    onTestFinished(async () => {
      await gantryIn(dir, ['-p', project, 'down', '-v']);
      await removeProject(project);
      await docker(['image', 'rm', '-f', `${project}-app`]);
    });
    const port = await freePort();
    const env = { BUILD_APP_PORT: String(port), APP_VERSION: 'e2e' };
    const up = await gantryIn(dir, ['-p', project, '--progress', 'plain', 'up', '-d', '--wait'], env);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toMatch(/Service app +Built/);
    const page = await (await fetchWithin(`http://127.0.0.1:${port}/`)).text();
    expect(page).toContain('<h1>build-app e2e</h1>');
    expect(await (await fetchWithin(`http://127.0.0.1:${port}/db.txt`)).text()).toBe('database started 1 time(s)\n');
    // The runtime stage holds only the first stage's output.
    const files = await docker(['run', '--rm', `${project}-app`, 'find', '/srv', '-type', 'f']);
    expect(files.stdout.split('\n').filter(Boolean).sort()).toEqual(['/srv/health', '/srv/index.html', '/srv/start.sh']);
  });
});
