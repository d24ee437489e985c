// `gantry plan` against a real engine: after `up -d`, one changed environment value is planned as
// exactly one recreate showing that value's old and new text, and the dependents it touches are
// named; planning changes nothing, and once `up` applied it the plan is empty again.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { containerIds, gantryOk, testdata, useEmptyDir } from '../support/engine-state.js';
import { useProject } from '../support/project.js';

it('plan after a changed environment value shows one recreate with the value\'s diff and its dependents', async () => {
  const project = useProject();
  const dir = useEmptyDir();
  cpSync(testdata('plan-recreate'), dir, { recursive: true });
  await gantryOk(dir, ['-p', project, 'up', '-d']);
  const before = await containerIds(project);

  const file = join(dir, 'compose.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('VALUE: one', 'VALUE: two'));
  const plan = await gantryOk(dir, ['-p', project, 'plan']);

  expect(plan.stdout.split('\n').filter((line) => /^\s+recreate /.test(line))).toEqual([
    `  recreate container ${project}-db-1 (config changed: environment.VALUE: "one" → "two")`,
  ]);
  expect(plan.stdout).toBe([
    `Plan for project ${project}:`,
    `  recreate container ${project}-db-1 (config changed: environment.VALUE: "one" → "two")`,
    '    dependents: web, worker',
    `  keep container ${project}-web-1 (running)`,
    '    dependency db is recreated; web keeps its container (add restart: true to its depends_on entry to restart it with db)',
    `  keep container ${project}-worker-1 (running)`,
    '    dependency db is recreated; worker keeps its container (add restart: true to its depends_on entry to restart it with db)',
    'Summary: 1 to recreate, 2 unchanged',
    '',
  ].join('\n'));
  const json = JSON.parse((await gantryOk(dir, ['-p', project, 'plan', '--format', 'json'])).stdout) as { steps: { action: string; changes?: unknown }[] };
  expect(json.steps.filter((s) => s.action === 'recreate')).toEqual([expect.objectContaining({ changes: [{ path: 'environment.VALUE', before: 'one', after: 'two' }] })]);
  expect(await containerIds(project)).toEqual(before);

  await gantryOk(dir, ['-p', project, 'up', '-d']);
  expect((await gantryOk(dir, ['-p', project, 'plan'])).stdout).toContain('Summary: 3 unchanged\n');
});
