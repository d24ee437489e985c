// Finds the compose files a command works on: -f, COMPOSE_FILE, or the default names in the
// working directory and its parents (plus the override file next to the one found).
import { statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';

export interface DiscoverOptions {
  /** Paths given with -f, in order; '-' is standard input. */
  readonly files?: readonly string[];
  /** The directory relative paths resolve against, and where the search starts. */
  readonly cwd: string;
  /** The environment (COMPOSE_FILE, COMPOSE_PATH_SEPARATOR). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** --project-directory; @default the first file's directory */
  readonly projectDirectory?: string;
}

export interface DiscoveredFiles {
  /** Absolute paths (or '-'), in merge order. */
  readonly files: string[];
  /** The absolute project directory. */
  readonly workingDir: string;
  /** Notes for the user, e.g. which of two candidate files was used. */
  readonly warnings: string[];
}

/** In order of preference, as the Compose specification names them. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const;
export const OVERRIDE_FILE_NAMES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'] as const;

/** Lists the compose files to load. Throws UsageError when none is found or a named one is missing. */
export function discoverFiles(options: DiscoverOptions): DiscoveredFiles {
  const cwd = resolve(options.cwd);
  const warnings: string[] = [];
  const files = explicitFiles(options, cwd) ?? searchDefaultFiles(cwd, warnings);
  const first = files[0];
  const workingDir = options.projectDirectory !== undefined && options.projectDirectory !== ''
    ? resolve(cwd, options.projectDirectory)
    : first === undefined || first === '-' ? cwd : dirname(first);
  return { files, workingDir, warnings };
}

/** The -f files, else COMPOSE_FILE's; undefined when neither names any. */
function explicitFiles(options: DiscoverOptions, cwd: string): string[] | undefined {
  let given = options.files?.filter((file) => file !== '') ?? [];
  let origin = '-f';
  if (given.length === 0) {
    const separator = options.env['COMPOSE_PATH_SEPARATOR'] || delimiter;
    given = (options.env['COMPOSE_FILE'] ?? '').split(separator).filter((file) => file !== '');
    origin = 'COMPOSE_FILE';
  }
  if (given.length === 0) return undefined;
  return given.map((file) => {
    if (file === '-') return '-';
    const path = resolve(cwd, file);
    // A directory passes here; reading it later says "is a directory", which is more useful.
    if (!exists(path)) {
      throw new UsageError(`compose file not found: ${path}`, {
        hint: origin === '-f' ? `check the path given with -f (relative paths start from ${cwd})` : `check COMPOSE_FILE (relative paths start from ${cwd})`,
      });
    }
    return path;
  });
}

/** The default file in `cwd` or the nearest parent that has one, plus its override file. */
function searchDefaultFiles(cwd: string, warnings: string[]): string[] {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const found = COMPOSE_FILE_NAMES.filter((name) => isFile(join(dir, name)));
    const chosen = found[0];
    if (chosen !== undefined) {
      if (found.length > 1) warnings.push(`found ${found.join(', ')} in ${dir}; using ${chosen}`);
      const override = findOverride(dir, chosen, warnings);
      return override === undefined ? [join(dir, chosen)] : [join(dir, chosen), join(dir, override)];
    }
    if (dirname(dir) === dir) break;
  }
  throw new UsageError(`no compose file found in ${cwd} or its parents`, {
    hint: `create one of ${COMPOSE_FILE_NAMES.join(', ')}, or name a file with -f`,
  });
}

/** The override next to `chosen`, preferring the one of the same family (compose.* / docker-compose.*). */
function findOverride(dir: string, chosen: string, warnings: string[]): string | undefined {
  const family = chosen.startsWith('docker-') ? 'docker-' : 'compose.';
  const ordered = [...OVERRIDE_FILE_NAMES].sort((a, b) => Number(!a.startsWith(family)) - Number(!b.startsWith(family)));
  const found = ordered.filter((name) => isFile(join(dir, name)));
  if (found.length > 1) warnings.push(`found override files ${found.join(', ')} in ${dir}; using ${found[0]}`);
  return found[0];
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
