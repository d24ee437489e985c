// `run --env-from-file FILE`: environment entries read from files, in the env_file format, for
// the one-off only. As in compose, a variable that -e sets keeps the -e value.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { parseEnvFile } from '../model/dotenv.js';
import { resolveEnvFlags } from './terminal.js';

export interface RunEnvFilesInput {
  /** The `--env-from-file` paths, relative to `cwd`. */
  readonly files: readonly string[];
  /** The `-e` entries: they win over the files. */
  readonly envFlags: readonly string[];
  readonly hostEnv: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** `-e`-style `KEY=VALUE` entries to put before the `-e` ones (so those win). */
export function readRunEnvFiles(input: RunEnvFilesInput): string[] {
  const flagged = new Map(resolveEnvFlags(input.envFlags, input.hostEnv).map((entry) => {
    const eq = entry.indexOf('=');
    return [entry.slice(0, eq), entry.slice(eq + 1)] as const;
  }));
  const entries = new Map<string, string>();
  for (const file of input.files) {
    const absolute = path.resolve(input.cwd, file);
    let text: string;
    try {
      text = readFileSync(absolute, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read --env-from-file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
        hint: `check the path given to --env-from-file (relative paths start from ${input.cwd})`, cause: error,
      });
    }
    // `KEY` alone in the file takes its value from -e, as compose's lookup does.
    for (const [key, value] of parseEnvFile(text, absolute, (name) => flagged.get(name))) {
      if (!flagged.has(key)) entries.set(key, value);
    }
  }
  return [...entries].map(([key, value]) => `${key}=${value}`);
}
