// The local side of an exec or run session: this process's stdio, with the terminal in raw mode
// while a TTY session lasts (keys go to the container as typed, Ctrl-C included) and restored after.
import type { SessionStreams } from '../engine/engine.js';
import { createInterface } from 'node:readline';

export interface LocalSession {
  readonly streams: SessionStreams;
  /** Leaves raw mode and stops reading stdin, so the process can exit. Safe to call twice. */
  restore(): void;
}

export interface LocalSessionOptions {
  /** Allocate a TTY in the container: raw local terminal, size forwarded. */
  readonly tty: boolean;
  /** Forward this process's stdin. */
  readonly interactive: boolean;
}

/** Whether a TTY session is possible here: stdin and stdout are both terminals. */
export function isTerminal(): boolean {
  return process.stdin.isTTY === true && process.stdout.isTTY === true;
}

export function openLocalSession(options: LocalSessionOptions): LocalSession {
  const stdin = process.stdin;
  const raw = options.tty && stdin.isTTY === true;
  if (raw) stdin.setRawMode(true);
  let restored = false;
  const terminal: SessionStreams['terminal'] = {
    size: () => ({ columns: process.stdout.columns ?? 0, rows: process.stdout.rows ?? 0 }),
    onResize: (listener) => {
      process.stdout.on('resize', listener);
      return () => void process.stdout.off('resize', listener);
    },
  };
  return {
    streams: {
      ...(options.interactive ? { stdin } : {}),
      stdout: process.stdout,
      stderr: process.stderr,
      ...(options.tty ? { terminal } : {}),
    },
    restore() {
      if (restored) return;
      restored = true;
      if (raw) stdin.setRawMode(false);
      stdin.pause();
    },
  };
}

/** `-e KEY=VALUE` as given; `-e KEY` takes KEY from this environment, or is dropped when unset. */
export function resolveEnvFlags(entries: readonly string[], env: Readonly<Record<string, string | undefined>>): string[] {
  return entries.flatMap((entry) => {
    if (entry.includes('=')) return [entry];
    const value = env[entry];
    return value === undefined ? [] : [`${entry}=${value}`];
  });
}

/**
 * Asks a yes/no question on stdout and reads one line from stdin, as the docker CLI's prompt
 * does: only "y" or "yes" agree; an empty answer or the end of stdin (no terminal, nothing
 * piped in) means no.
 */
export async function confirm(question: string): Promise<boolean> {
  process.stdout.write(`${question} [y/N] `);
  const lines = createInterface({ input: process.stdin, terminal: false });
  try {
    const answer = await new Promise<string>((resolve) => {
      lines.once('line', resolve);
      lines.once('close', () => resolve(''));
    });
    if (process.stdin.isTTY !== true) process.stdout.write('\n');
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    lines.close();
    process.stdin.pause();
  }
}
