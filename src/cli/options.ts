// Global flags shared by every command, typed once, and turned into model load options.
import { homedir } from 'node:os';
import { readFileSync } from 'node:fs';
import type { LoadOptions } from '../model/load.js';

export type ProgressMode = 'auto' | 'tty' | 'plain' | 'json' | 'quiet';

export interface GlobalOptions {
  readonly file?: readonly string[];
  readonly projectName?: string;
  readonly projectDirectory?: string;
  readonly envFile?: readonly string[];
  readonly profile?: readonly string[];
  readonly progress: ProgressMode;
  readonly debug: boolean;
  readonly ansi: 'auto' | 'never' | 'always';
}

export const PROGRESS_MODES: readonly ProgressMode[] = ['auto', 'tty', 'plain', 'json', 'quiet'];

/** Collects a repeatable flag (`-f a -f b`) into a list. */
export function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function toLoadOptions(options: GlobalOptions, extra: { services?: readonly string[] } = {}): LoadOptions {
  return {
    cwd: process.cwd(),
    env: process.env,
    homeDir: homedir(),
    readStdin: () => readFileSync(0, 'utf8'),
    ...(options.file?.length ? { files: options.file } : {}),
    ...(options.projectName !== undefined ? { projectName: options.projectName } : {}),
    ...(options.projectDirectory !== undefined ? { projectDirectory: options.projectDirectory } : {}),
    ...(options.envFile?.length ? { envFiles: options.envFile } : {}),
    ...(options.profile?.length ? { profiles: options.profile } : {}),
    ...(extra.services?.length ? { services: extra.services } : {}),
  };
}

/** Colour on stderr: --ansi wins, then NO_COLOR, then whether stderr is a terminal. */
export function useColor(options: GlobalOptions, stream: NodeJS.WriteStream = process.stderr): boolean {
  if (options.ansi === 'always') return true;
  if (options.ansi === 'never') return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}
