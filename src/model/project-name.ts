// Decides the project name, which prefixes every container, network and volume Gantry creates,
// so it must be the same one docker compose would pick for the same files and flags.
import { basename } from 'node:path';
import { ConfigError, UsageError, type ConfigIssue } from '../errors.js';

export interface ProjectNameOptions {
  /** -p / --project-name. */
  readonly flag?: string;
  /** The environment (COMPOSE_PROJECT_NAME). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The top-level `name:` of the (merged) compose file. */
  readonly topLevelName?: string;
  /** The project directory; its base name is the fallback. */
  readonly workingDir: string;
  /** Locates a problem with the top-level `name:` in the file that holds it. */
  readonly locateTopLevelName?: (message: string, hint: string) => ConfigIssue;
}

const VALID_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export function isValidProjectName(name: string): boolean {
  return VALID_NAME.test(name);
}

/**
 * -p > COMPOSE_PROJECT_NAME > top-level `name:` > the project directory's base name. Empty values
 * count as not given. An explicit name must already be valid (changing it silently would manage
 * another project's resources); a directory name is normalised. An invalid `-p` or
 * COMPOSE_PROJECT_NAME is a UsageError; an invalid `name:` is a ConfigError located in the file.
 */
export function resolveProjectName(options: ProjectNameOptions): string {
  const explicit: readonly [string | undefined, string, 'cli' | 'file'][] = [
    [options.flag, 'given with -p', 'cli'],
    [options.env['COMPOSE_PROJECT_NAME'], 'from COMPOSE_PROJECT_NAME', 'cli'],
    [options.topLevelName, 'from the top-level "name:"', 'file'],
  ];
  for (const [name, origin, from] of explicit) {
    if (name === undefined || name === '') continue;
    if (isValidProjectName(name)) return name;
    const message = `invalid project name "${name}": it must contain only lowercase letters, digits, dashes and underscores, and start with a letter or digit`;
    const hint = `e.g. "${normalizeProjectName(name) || 'my-app'}" (the name was ${origin})`;
    if (from === 'cli') throw new UsageError(message, { hint });
    throw new ConfigError([options.locateTopLevelName?.(message, hint) ?? { file: '', line: 0, column: 0, path: ['name'], message, hint }]);
  }
  const derived = normalizeProjectName(basename(options.workingDir));
  if (derived === '') {
    throw new UsageError(`cannot derive a project name from the directory "${options.workingDir}"`, {
      hint: 'give one with -p NAME, COMPOSE_PROJECT_NAME, or a top-level "name:" in the compose file',
    });
  }
  return derived;
}

/** Lowercases and keeps only a-z 0-9 _ -, then drops leading characters that cannot start a name. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[_-]+/, '');
}
