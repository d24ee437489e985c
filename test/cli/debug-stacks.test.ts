// --debug adds the stack to an error, pointing into src/ (the unbundled modules and their source
// maps run then, not the bundle); without it, errors never show a stack.
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI_TIMEOUT, createTempDirs, runCli } from '../support/cli.js';

beforeAll(assertBuilt);
const tempDir = createTempDirs();

describe('error stacks', { timeout: CLI_TIMEOUT }, () => {
  const nowhere = { DOCKER_HOST: 'unix:///nonexistent/gantry-test.sock' };

  it('--debug shows where an error came from, in the TypeScript sources', async () => {
    const r = await runCli(['--debug', '-p', 'x', 'ps'], { env: nowhere, cwd: tempDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: cannot reach the Docker Engine at unix:///nonexistent/gantry-test.sock');
    expect(r.stderr).toMatch(/\n\s+at .*src\/engine\/docker-engine\.ts:\d+:\d+/);
  });

  it('without --debug, the same error is one message and a hint, with no stack', async () => {
    const r = await runCli(['-p', 'x', 'ps'], { env: nowhere, cwd: tempDir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: cannot reach the Docker Engine');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
