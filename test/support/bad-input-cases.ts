// The bad-input catalogue (test/fixtures/bad-input/cases.json) as typed data, shared by the CLI
// test (messages and locations, no engine) and the e2e test (nothing created on the engine).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

export interface BadInputCase {
  readonly dir: string;
  readonly description: string;
  readonly exitCode: number;
  /** Substrings of the message (snippet lines excluded, so quoting the file is not enough). */
  readonly contains: readonly string[];
  /**
   * Prefixes of the lines that name each problem: `file:line:col`; `file  ` when no line applies;
   * `error: ` for a mistake on the command line that involves no file.
   */
  readonly locations: readonly string[];
  /** The command line; default `config -q`. */
  readonly args?: readonly string[];
  /** Written to standard input. */
  readonly stdin?: string;
}

/** test/fixtures/bad-input: one directory per case, each with a compose.yaml. */
export const BAD_INPUT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/bad-input');

export const badInputCases: readonly BadInputCase[] = JSON.parse(readFileSync(resolve(BAD_INPUT_DIR, 'cases.json'), 'utf8')) as BadInputCase[];

/** The directory a case runs in. */
export function caseDir(c: BadInputCase): string {
  return resolve(BAD_INPUT_DIR, c.dir);
}
