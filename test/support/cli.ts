// Runs the built CLI the way a user's shell does (bin/gantry through its shebang), in an
// environment without the caller's COMPOSE_* variables, so CLI tests see only what they set.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = resolve(REPO_ROOT, 'bin/gantry');

/** Per-test timeout for tests that spawn the CLI: generous, as a loaded 2-core machine is slow to start node. */
export const CLI_TIMEOUT = 60_000;

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd?: string;
  /** Added to the cleaned environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Written to standard input, which is then closed. */
  readonly stdin?: string;
}

/** Throws a clear message when dist/ was not built (`npm test` builds it first). */
export function assertBuilt(): void {
  if (!existsSync(resolve(REPO_ROOT, 'dist/cli/main.js'))) {
    throw new Error('dist/cli/main.js is missing: run `npm run build` first (`npm test` does it for you)');
  }
}

/**
 * Only what node needs from the caller's environment: vitest adds variables of its own (MODE,
 * NODE_ENV, VITEST…) and a developer's shell may set COMPOSE_*, and either would change the output.
 */
const PASSED_THROUGH = ['HOME', 'USER', 'LANG', 'LC_ALL', 'TMPDIR', 'TZ', 'DOCKER_HOST'];

export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1', PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
  for (const name of PASSED_THROUGH) if (process.env[name] !== undefined) env[name] = process.env[name];
  return { ...env, ...extra };
}

/** Runs `gantry ...args`; never throws for a failing run. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(CLI, [...args], { cwd: options.cwd ?? REPO_ROOT, env: cleanEnv(options.env), timeout: CLI_TIMEOUT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (error) => (stderr += String(error)));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}

/** Like runCli, but fails the test (with stderr) unless the exit code is 0. */
export async function runCliOk(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const result = await runCli(args, options);
  if (result.code !== 0) throw new Error(`gantry ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  return result;
}

/**
 * Call at the top level of a test file: returns a maker of fresh temporary directories, all
 * removed after the file's tests. (onTestFinished would be wrong here: with concurrent tests it
 * can fire for another test than the one that made the directory.)
 */
export function createTempDirs(prefix = 'gantry-cli-'): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}

/** Writes files (relative path → content) under `dir`, creating directories; returns `dir`. */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): string {
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return dir;
}
