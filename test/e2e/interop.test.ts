// Interop with Debian's docker-compose 1.29 (Python) on the same engine: each tool lists and
// removes the other's project, because both find containers by compose labels only (v1 names
// containers <project>_<service>_1, Gantry <project>-<service>-1).
import { describe, expect, it } from 'vitest';
import { containerIds, containerNames, gantryIn, resourceNames, testdata } from '../support/engine-state.js';
import { run, useProject, type RunResult } from '../support/project.js';

const dir = testdata('interop');

function compose(project: string, args: readonly string[]): Promise<RunResult> {
  return run('docker-compose', ['-p', project, ...args], { cwd: dir, env: { COMPOSE_INTERACTIVE_NO_CLI: '1' } });
}

function expectOk(result: RunResult, what: string): RunResult {
  expect(result.code, `${what} exited ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(0);
  return result;
}

/** The rows of docker-compose v1's `ps` table, as [name, ...rest of the line]. */
function v1Rows(stdout: string): { name: string; line: string }[] {
  const lines = stdout.split('\n');
  const rule = lines.findIndex((line) => /^-{10,}/.test(line));
  return lines.slice(rule + 1).filter((line) => line.trim() !== '').map((line) => ({ name: line.trim().split(/\s+/)[0] ?? '', line }));
}

/** `ps --format json`: one object per line (compose ≥ 2.21) or, from older tools, one array. */
function parseJsonList(stdout: string): Record<string, unknown>[] {
  const text = stdout.trim();
  if (text === '') return [];
  if (text.startsWith('[')) return JSON.parse(text) as Record<string, unknown>[];
  return text.split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function expectNothingLeft(project: string): Promise<void> {
  expect(await containerNames(project)).toEqual([]);
  expect(await resourceNames('network', project)).toEqual([]);
}

describe('with docker-compose v1 on the same engine', () => {
  it('v1 lists and removes what gantry up created', async () => {
    const project = useProject();
    expectOk(await gantryIn(dir, ['-p', project, 'up', '-d']), 'gantry up');
    const names = [`${project}-db-1`, `${project}-web-1`];
    expect(await containerNames(project, { running: true })).toEqual(names);

    const ps = expectOk(await compose(project, ['ps']), 'docker-compose ps');
    const rows = v1Rows(ps.stdout);
    expect(rows.map((r) => r.name).sort()).toEqual(names);
    for (const row of rows) expect(row.line).toMatch(/\sUp\s/);
    expect(rows.find((r) => r.name === `${project}-web-1`)?.line).toMatch(/127\.0\.0\.1:\d+->80\/tcp/);
    const ids = expectOk(await compose(project, ['ps', '-q']), 'docker-compose ps -q').stdout.split('\n').filter(Boolean).sort();
    expect(ids).toEqual(await containerIds(project));

    expectOk(await compose(project, ['down']), 'docker-compose down');
    await expectNothingLeft(project);
  });

  it('gantry lists and removes what v1 up created', async () => {
    const project = useProject();
    expectOk(await compose(project, ['up', '-d']), 'docker-compose up');
    const names = [`${project}_db_1`, `${project}_web_1`];
    expect(await containerNames(project, { running: true })).toEqual(names);

    const ps = expectOk(await gantryIn(dir, ['-p', project, 'ps']), 'gantry ps');
    const rows = ps.stdout.split('\n').filter((line) => line.trim() !== '');
    expect(rows[0]).toMatch(/^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS\s*$/);
    expect(rows.slice(1).map((line) => line.split(/\s+/)[0]).sort()).toEqual(names);
    expect(rows.find((line) => line.startsWith(`${project}_web_1`))).toMatch(/\sweb\s.*Up.*127\.0\.0\.1:\d+->80\/tcp/);

    const json = parseJsonList(expectOk(await gantryIn(dir, ['-p', project, 'ps', '--format', 'json']), 'gantry ps --format json').stdout);
    expect(json.map((c) => [c.Name, c.Service, c.State]).sort()).toEqual([
      [`${project}_db_1`, 'db', 'running'],
      [`${project}_web_1`, 'web', 'running'],
    ]);

    const down = expectOk(await gantryIn(dir, ['-p', project, 'down']), 'gantry down');
    expect(down.stdout).toBe('');
    await expectNothingLeft(project);
  });

  it('gantry down works on a v1 project without the file, from labels alone', async () => {
    const project = useProject();
    expectOk(await compose(project, ['up', '-d']), 'docker-compose up');
    // Run from the filesystem root, where no compose file is found: -p is all gantry has.
    const down = await gantryIn('/', ['-p', project, 'down']);
    expect(down.code, down.stderr).toBe(0);
    await expectNothingLeft(project);
  });
});
