// Specification of how `gantry config -q` fails on bad files: exit code 1, every problem named at
// its file:line:col with a message that says what is wrong, and never a stack trace.
// The catalogue is test/fixtures/bad-input/cases.json; each case is a directory with a compose.yaml.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

interface BadInputCase {
  readonly dir: string;
  readonly description: string;
  readonly exitCode: number;
  /** Substrings of the message (snippet lines excluded, so quoting the file is not enough). */
  readonly contains: readonly string[];
  /** `file:line:col` prefixes of the lines that name each problem; just `file:` when no line applies. */
  readonly locations: readonly string[];
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const catalogue = resolve(repoRoot, 'test/fixtures/bad-input');
const cases = JSON.parse(readFileSync(resolve(catalogue, 'cases.json'), 'utf8')) as BadInputCase[];
const cli = resolve(repoRoot, 'bin/gantry');

/** The user's environment without anything that would change which file or values are used. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('COMPOSE_') && !name.startsWith('GANTRY_TEST_') && name !== 'FORCE_COLOR') env[name] = value;
  }
  return env;
}

function runConfigQuiet(cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [cli, 'config', '-q'], { cwd, env: cleanEnv(), timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      done({ code, stdout, stderr });
    });
  });
}

/** Snippet lines (`  12 |     ports:` and the caret line under them) quote the file itself. */
function withoutSnippets(stderr: string): string {
  return stderr.split('\n').filter((line) => !/^\s*\d*\s*\|/.test(line)).join('\n');
}

describe('the bad-input catalogue', () => {
  it('has at least 32 cases, each a directory with a compose.yaml, and no directory left out', () => {
    expect(cases.length).toBeGreaterThanOrEqual(32);
    for (const c of cases) expect(existsSync(resolve(catalogue, c.dir, 'compose.yaml')), c.dir).toBe(true);
    const dirs = readdirSync(catalogue, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(dirs.sort()).toEqual(cases.map((c) => c.dir).sort());
  });
});

describe.concurrent('gantry config -q on a bad file', () => {
  beforeAll(() => {
    if (!existsSync(resolve(repoRoot, 'dist/cli/main.js'))) throw new Error('dist/cli/main.js is missing: run `npm run build` first');
  });

  it.each(cases.map((c) => [`${c.dir}: ${c.description}`, c] as const))('%s', async (_name, c) => {
    const { code, stdout, stderr } = await runConfigQuiet(resolve(catalogue, c.dir));
    const lines = stderr.split('\n');
    expect(code, stderr).toBe(c.exitCode);
    expect(stdout).toBe('');
    for (const location of c.locations) expect(lines.some((line) => line.startsWith(location)), `no line starts with ${location} in:\n${stderr}`).toBe(true);
    for (const text of c.contains) expect(withoutSnippets(stderr)).toContain(text);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});
