// Specification of how `gantry config -q` fails on bad files and bad command lines: exit code 1,
// every problem named at its file:line:col (or as `error:` when no file is involved) with a
// message that says what is wrong, and never a stack trace.
// The catalogue is test/fixtures/bad-input/cases.json; each case is a directory with a compose.yaml.
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BAD_INPUT_DIR as catalogue, badInputCases as cases } from '../support/bad-input-cases.js';
import { assertBuilt, CLI_TIMEOUT, runCli } from '../support/cli.js';

/** Snippet lines (`  12 |     ports:` and the caret line under them) quote the file itself. */
function withoutSnippets(stderr: string): string {
  return stderr.split('\n').filter((line) => !/^\s*\d*\s*\|/.test(line)).join('\n');
}

describe('the bad-input catalogue', () => {
  it('has at least 45 cases, each a directory with a compose.yaml, and no directory left out', () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
    for (const c of cases) expect(existsSync(resolve(catalogue, c.dir, 'compose.yaml')), c.dir).toBe(true);
    const dirs = readdirSync(catalogue, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(dirs.sort()).toEqual(cases.map((c) => c.dir).sort());
  });
});

describe.concurrent('gantry on a bad file or command line', () => {
  beforeAll(assertBuilt);

  it.each(cases.map((c) => [`${c.dir}: ${c.description}`, c] as const))('%s', async (_name, c) => {
    const { code, stdout, stderr } = await runCli(c.args ?? ['config', '-q'], { cwd: resolve(catalogue, c.dir), ...(c.stdin !== undefined ? { stdin: c.stdin } : {}) });
    const lines = stderr.split('\n');
    expect(code, stderr).toBe(c.exitCode);
    expect(stdout).toBe('');
    for (const location of c.locations) expect(lines.some((line) => line.startsWith(location)), `no line starts with ${location} in:\n${stderr}`).toBe(true);
    for (const text of c.contains) expect(withoutSnippets(stderr)).toContain(text);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, CLI_TIMEOUT);
});
