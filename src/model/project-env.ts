// The variables a project's commands see, and the files they name. compose v2 reads its own
// settings (COMPOSE_FILE, COMPOSE_PATH_SEPARATOR, COMPOSE_PROFILES, COMPOSE_PROJECT_NAME) from the
// shell and then the project's .env, but the .env may name the files that decide the project
// directory. So, as compose does: read the .env of --project-directory, else of the first -f
// file's directory, else of the working directory; find the files; then let the .env next to them
// add what the first one left unset. The shell always wins; --env-file replaces both.
import { dirname, resolve } from 'node:path';
import { discoverFiles, type DiscoveredFiles } from './discover.js';
import { createInterpolationEnv, defaultEnvFiles, type InterpolationEnv } from './environment.js';
import type { Lookup } from './template.js';

export interface ProjectEnvOptions {
  readonly cwd: string;
  /** The shell environment. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `-f`, in order. */
  readonly files?: readonly string[];
  readonly projectDirectory?: string;
  /** `--env-file`, in order, as given (relative to cwd). */
  readonly envFiles?: readonly string[];
}

export interface ProjectEnv {
  readonly discovered: DiscoveredFiles;
  /** Every env file read (absolute), in the order read. */
  readonly envFiles: readonly string[];
  readonly interpolation: InterpolationEnv;
}

/** The compose settings that decide which files are read (the others need the files first). */
const FILE_SETTINGS = ['COMPOSE_FILE', 'COMPOSE_PATH_SEPARATOR'] as const;

export function resolveProjectEnv(options: ProjectEnvOptions): ProjectEnv {
  const { envFiles: early, interpolation: first } = readEarlyEnv(options);
  const discovered = discoverFiles({
    cwd: options.cwd,
    env: settingsFrom(first.lookup),
    ...(options.files === undefined ? {} : { files: options.files }),
    ...(options.projectDirectory === undefined ? {} : { projectDirectory: options.projectDirectory }),
  });
  // --env-file replaces the .env files, the late one included.
  const late = options.envFiles?.length ? [] : defaultEnvFiles(discovered.workingDir).filter((file) => !early.includes(file));
  if (late.length === 0) return { discovered, envFiles: early, interpolation: first };
  const interpolation = createInterpolationEnv({ shellEnv: options.env, envFiles: early, fallbackEnvFiles: late });
  return { discovered, envFiles: [...early, ...late], interpolation };
}

/**
 * The variables before the files are known: the shell over --env-file, else over the .env of the
 * directory compose looks in first. Enough for COMPOSE_PROJECT_NAME when no file can be found.
 */
export function readEarlyEnv(options: ProjectEnvOptions): { envFiles: string[]; interpolation: InterpolationEnv } {
  const cwd = resolve(options.cwd);
  const envFiles = givenEnvFiles(options, cwd) ?? defaultEnvFiles(initialDirectory(options, cwd));
  return { envFiles, interpolation: createInterpolationEnv({ shellEnv: options.env, envFiles }) };
}

function givenEnvFiles(options: ProjectEnvOptions, cwd: string): string[] | undefined {
  return options.envFiles?.length ? options.envFiles.map((file) => resolve(cwd, file)) : undefined;
}

/** Where compose looks for .env before the files are known (compose-go's GetWorkingDir). */
function initialDirectory(options: ProjectEnvOptions, cwd: string): string {
  if (options.projectDirectory !== undefined && options.projectDirectory !== '') return resolve(cwd, options.projectDirectory);
  const firstFile = options.files?.find((file) => file !== '' && file !== '-');
  return firstFile === undefined ? cwd : dirname(resolve(cwd, firstFile));
}

function settingsFrom(lookup: Lookup): Record<string, string | undefined> {
  return Object.fromEntries(FILE_SETTINGS.map((name) => [name, lookup(name)]));
}
