// Runs the built CLI the way a user's shell does (bin/gantry through its shebang), in an
// environment without the caller's COMPOSE_* variables, so CLI tests see only what they set.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = resolve(REPO_ROOT, 'bin/gantry');

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

/** The user's environment without anything that would change which file or values are used. */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('COMPOSE_') && !name.startsWith('GANTRY_TEST_') && name !== 'FORCE_COLOR') env[name] = value;
  }
  env.PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
  return { ...env, ...extra };
}

/** Runs `gantry ...args`; never throws for a failing run. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(CLI, [...args], { cwd: options.cwd ?? REPO_ROOT, env: cleanEnv(options.env), timeout: 20_000 });
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

/** A fresh temporary directory, removed when the current test ends. */
export function useTempDir(prefix = 'gantry-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
