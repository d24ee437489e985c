// A running `gantry` for e2e tests of long-lived commands (attached up, logs -f): await a line
// in its output instead of sleeping, send it signals, and collect its result. The process is
// killed when the test finishes, passed or failed.
import { spawn } from 'node:child_process';
import { onTestFinished } from 'vitest';
import { GANTRY_BIN, type RunResult } from './project.js';

export interface GantryProcess {
  /** Resolves with the stream's text so far once it contains `pattern`; rejects if the process ends first or after `timeoutMs`. */
  waitFor(pattern: string | RegExp, options?: { readonly stream?: 'stdout' | 'stderr'; readonly timeoutMs?: number }): Promise<string>;
  signal(signal: NodeJS.Signals): void;
  /** True once the process has exited (its output is then complete). */
  readonly ended: () => boolean;
  readonly stdout: () => string;
  readonly result: Promise<RunResult>;
}

export function startGantry(args: readonly string[], options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {}): GantryProcess {
  const child = spawn(process.execPath, [GANTRY_BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const text = { stdout: '', stderr: '' };
  const checks = new Set<() => void>();
  let ended = false;
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    text.stdout += d;
    for (const check of [...checks]) check();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    text.stderr += d;
    for (const check of [...checks]) check();
  });
  const result = new Promise<RunResult>((resolve) => {
    child.on('close', (code) => {
      ended = true;
      for (const check of [...checks]) check();
      resolve({ stdout: text.stdout, stderr: text.stderr, code: code ?? -1 });
    });
  });
  onTestFinished(async () => {
    if (!ended) child.kill('SIGKILL');
    await result;
  });
  return {
    stdout: () => text.stdout,
    ended: () => ended,
    result,
    signal: (signal) => void child.kill(signal),
    waitFor(pattern, waitOptions = {}) {
      const stream = waitOptions.stream ?? 'stdout';
      const matches = (): boolean => (typeof pattern === 'string' ? text[stream].includes(pattern) : pattern.test(text[stream]));
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`timed out waiting for ${String(pattern)} on ${stream}`)), waitOptions.timeoutMs ?? 30_000);
        const done = (error?: Error): void => {
          clearTimeout(timer);
          checks.delete(check);
          if (error === undefined) resolve(text[stream]);
          else reject(new Error(`${error.message}\nstdout:\n${text.stdout}\nstderr:\n${text.stderr}`));
        };
        const check = (): void => {
          if (matches()) done();
          else if (ended) done(new Error(`gantry ended before printing ${String(pattern)} on ${stream}`));
        };
        checks.add(check);
        check();
      });
    },
  };
}
