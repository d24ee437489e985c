// examples/ci/run-ci.sh end to end on the real engine, as a CI job runs it: green when the tests
// pass, red with the services' logs when they fail, and nothing of the project left either way.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GANTRY_BIN, PROJECT_LABEL, REPO_ROOT, docker, run, uniqueProjectName, useProject } from '../support/project.js';

const SCRIPT = path.join(REPO_ROOT, 'examples', 'ci', 'run-ci.sh');

async function runPipeline(env: NodeJS.ProcessEnv): Promise<{ code: number; output: string; project: string }> {
  const project = useProject(uniqueProjectName('gantry-ci'));
  const r = await run('bash', [SCRIPT], { env: { GANTRY: GANTRY_BIN, CI_PROJECT: project, NO_COLOR: '1', ...env }, timeoutMs: 90_000 });
  return { code: r.code, output: `${r.stdout}\n${r.stderr}`, project };
}

async function leftovers(project: string): Promise<string[]> {
  const filter = ['--filter', `label=${PROJECT_LABEL}=${project}`];
  const lists = await Promise.all([
    docker(['ps', '-aq', ...filter]),
    docker(['network', 'ls', '-q', ...filter]),
    docker(['volume', 'ls', '-q', ...filter]),
  ]);
  return lists.flatMap((r) => r.stdout.split('\n').filter(Boolean));
}

describe('the CI example pipeline', () => {
  it('passes: exit 0, the tests\' report, and nothing left behind', async () => {
    const { code, output, project } = await runPipeline({});
    expect(code, output).toBe(0);
    expect(output).toContain('ok   health says ok');
    expect(output).toContain('all tests passed');
    // The logs are printed only when something failed.
    expect(output).not.toContain('the services\' logs');
    expect(await leftovers(project)).toEqual([]);
  });

  it('fails: the tests\' exit code, the services\' logs, and nothing left behind', async () => {
    const { code, output, project } = await runPipeline({ CI_EXAMPLE_BREAK: '1' });
    expect(code, output).toBe(1);
    expect(output).toContain('FAIL health counts 4 items');
    expect(output).toContain('the tests failed (exit 1)');
    expect(output).toMatch(/api-1 +\| api: serving on :8080/);
    expect(output).toContain('--- teardown');
    expect(await leftovers(project)).toEqual([]);
  });
});
