// The variables a project sees: the shell environment over its env files (.env or --env-file),
// and the contents of services' env_file entries.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { parseDotenv, parseEnvFile } from './dotenv.js';
import { MAX_SOURCE_BYTES } from './source.js';
import type { Lookup } from './template.js';

export interface InterpolationEnvOptions {
  /** The process environment; it wins over every env file. */
  readonly shellEnv: Readonly<Record<string, string | undefined>>;
  /** Absolute paths, in order; a later file wins over an earlier one. */
  readonly envFiles: readonly string[];
  /**
   * Read after `envFiles`, adding only the names none of them set: the project directory's .env
   * after the one read before the files were known (see project-env.ts). @default none
   */
  readonly fallbackEnvFiles?: readonly string[];
}

export interface InterpolationEnv {
  readonly lookup: Lookup;
  /** Where a variable's value comes from: 'shell', the env file's path, or undefined if unset. */
  readonly sourceOf: (name: string) => 'shell' | string | undefined;
}

export interface ServiceEnvFile {
  readonly path: string;
  readonly required: boolean;
}

/**
 * Reads the env files and builds the lookup interpolation uses. Each file may use variables
 * from the shell and from the files before it. A missing file is a ConfigError naming it:
 * these files were asked for explicitly (defaultEnvFiles only lists existing ones).
 */
export function createInterpolationEnv(options: InterpolationEnvOptions): InterpolationEnv {
  const fromShell = (name: string): string | undefined => ownValue(options.shellEnv, name);
  const fromFiles = new Map<string, { value: string; file: string }>();
  const readFile = (file: string, override: boolean): void => {
    const read = readEnvText(file);
    if ('issue' in read) throw new ConfigError([read.issue]);
    const parsed = parseDotenv(read.text, file, (name) => fromShell(name) ?? fromFiles.get(name)?.value);
    for (const [name, value] of parsed) if (override || !fromFiles.has(name)) fromFiles.set(name, { value, file });
  };
  for (const file of options.envFiles) readFile(file, true);
  for (const file of options.fallbackEnvFiles ?? []) readFile(file, false);
  return {
    lookup: (name) => fromShell(name) ?? fromFiles.get(name)?.value,
    sourceOf: (name) => (fromShell(name) !== undefined ? 'shell' : fromFiles.get(name)?.file),
  };
}

/** The env files used when none are given: the project directory's `.env`, if it is a file. */
export function defaultEnvFiles(projectDir: string): string[] {
  const candidate = join(projectDir, '.env');
  try {
    return statSync(candidate).isFile() ? [candidate] : [];
  } catch {
    return [];
  }
}

/**
 * Reads a service's env_file entries (absolute paths) into one environment; later files win.
 * A missing required file, an unreadable file or a broken line becomes an issue, and the other
 * files are still read. A `KEY` line without '=' takes its value from `lookup`.
 */
export function readServiceEnvFiles(entries: readonly ServiceEnvFile[], lookup: Lookup): { environment: Record<string, string | null>; issues: ConfigIssue[] } {
  const environment = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  for (const entry of entries) {
    const read = readEnvText(entry.path);
    if ('issue' in read) {
      if (entry.required || !read.missing) issues.push(read.issue);
      continue;
    }
    try {
      for (const [name, value] of parseEnvFile(read.text, entry.path, lookup)) environment.set(name, value);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.push(...error.issues);
    }
  }
  // fromEntries defines properties, so a variable named __proto__ stays an ordinary key.
  return { environment: Object.fromEntries(environment), issues };
}

type ReadResult = { readonly text: string } | { readonly issue: ConfigIssue; readonly missing: boolean };

/** The file's text, or an issue naming it (`missing` tells an absent file from other failures). */
function readEnvText(file: string): ReadResult {
  const problem = (message: string, hint: string, missing = false): ReadResult =>
    ({ issue: { file, line: 0, column: 0, path: [], message, hint }, missing });
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) return problem(`env file ${file} is a directory`, 'give the path of a file');
    if (stat.size > MAX_SOURCE_BYTES) return problem(`env file ${file} is ${stat.size} bytes; env files larger than ${MAX_SOURCE_BYTES} bytes are refused`, 'check the path');
    return { text: readFileSync(file, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return problem(`env file ${file} not found`, 'check the path, or create the file', true);
    return problem(`cannot read env file ${file}: ${code === 'EACCES' ? 'permission denied' : (error as Error).message}`, 'check the file permissions');
  }
}

/** Reads only the object's own values, so `${constructor}` never finds Object.prototype's. */
function ownValue(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  if (!Object.hasOwn(env, name)) return undefined;
  const value = env[name];
  return typeof value === 'string' ? value : undefined;
}
