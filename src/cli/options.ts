// Global flags shared by every command, typed once, and turned into model load options; and the
// values several commands read alike (--pull, COMPOSE_* switches).
import { homedir } from 'node:os';
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { LoadOptions } from '../model/load.js';
import type { PullMode } from '../plan/plan.js';

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
  /** `--quiet-hints`: no hints about likely mistakes (GANTRY_HINTS=0 does the same). */
  readonly quietHints?: boolean;
}

export const PROGRESS_MODES: readonly ProgressMode[] = ['auto', 'tty', 'plain', 'json', 'quiet'];

/** Collects a repeatable flag (`-f a -f b`) into a list. */
export function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `--pull` of up, plan and run: absent (or `policy`) leaves each service's pull_policy to decide. */
export function parsePull(value: string | undefined): PullMode {
  if (value === undefined || value === 'policy') return 'policy';
  if (value === 'missing' || value === 'always' || value === 'never') return value;
  throw new UsageError(`invalid --pull "${value}": expected always, missing or never`, { hint: 'without --pull (or with --pull policy), each service\'s pull_policy decides' });
}

/** A COMPOSE_* switch such as COMPOSE_REMOVE_ORPHANS: on for `1` or `true` (any case). */
export function isTruthy(value: string | undefined): boolean {
  return value === '1' || value?.toLowerCase() === 'true';
}

export function toLoadOptions(options: GlobalOptions, extra: { services?: readonly string[] } = {}): LoadOptions {
  rejectEmptyPaths([['-f', options.file ?? []], ['--env-file', options.envFile ?? []], ['--project-directory', options.projectDirectory === undefined ? [] : [options.projectDirectory]]]);
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

/** `-f ""` is a mistake (an unset shell variable, usually), not "the current directory". */
function rejectEmptyPaths(flags: readonly (readonly [string, readonly string[]])[]): void {
  for (const [flag, values] of flags) {
    if (values.some((v) => v.trim() === '')) throw new UsageError(`${flag} needs a path, got an empty string`, { hint: `check the value given to ${flag} (an unset shell variable?)` });
  }
}

/** Colour on stderr: --ansi wins, then NO_COLOR, then whether stderr is a terminal. */
export function useColor(options: GlobalOptions, stream: NodeJS.WriteStream = process.stderr): boolean {
  if (options.ansi === 'always') return true;
  if (options.ansi === 'never') return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}
