// loadProject(): files on disk → a validated, canonical, typed Project. Per file: parse →
// interpolate → schema-validate → canonicalise → extends/include; then merge the files in order,
// apply profiles, normalise, check consistency and bind. Validating before the merge points every
// schema error at the file and line that holds it.
import { dirname } from 'node:path';
import { ConfigError, CycleError, type ConfigIssue } from '../errors.js';
import { canonicalizeTree } from './canonical.js';
import { checkConsistency } from './consistency.js';
import { createInterpolationEnv, defaultEnvFiles, type InterpolationEnv } from './environment.js';
import { resolveExtends } from './extends.js';
import { resolveIncludes } from './include.js';
import { interpolateTree, type UnsetVariable } from './interpolate.js';
import { dropResetItems, mergeTrees } from './merge.js';
import { normalizeTree } from './normalize.js';
import { createModelLocator } from './origins.js';
import { applyProfiles, profilesOf } from './profiles.js';
import { resolveProjectEnv } from './project-env.js';
import { toProject } from './project.js';
import { resolveProjectName } from './project-name.js';
import { parseSource, readSource, type SourceFile } from './source.js';
import type { Project } from './types.js';
import { validateTree } from './validate.js';

import { opt } from '../optional.js';

type Tree = Record<string, unknown>;
type Lookup = (name: string) => string | undefined;

export interface LoadOptions {
  /** `-f` files in order; '-' reads `readStdin()`. Empty or absent: discovery. */
  readonly files?: readonly string[];
  readonly cwd: string;
  /** The shell environment (interpolation, COMPOSE_* variables). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  readonly projectDirectory?: string;
  /** `-p`. */
  readonly projectName?: string;
  /** `--env-file`, in order; absent: the project directory's `.env` if any. */
  readonly envFiles?: readonly string[];
  /** `--profile`; absent: COMPOSE_PROFILES. */
  readonly profiles?: readonly string[];
  /** Services named on the command line: enabled whatever their profiles. */
  readonly services?: readonly string[];
  readonly readStdin?: () => string;
  /**
   * Return the project despite a depends_on cycle (LoadResult.cycle names it), so `gantry graph`
   * can draw the loop. Every other problem still throws. @default false
   */
  readonly allowCycle?: boolean;
}

export interface LoadResult {
  readonly project: Project;
  /** Unset variables and other non-fatal findings, located. */
  readonly warnings: readonly ConfigIssue[];
  readonly sources: readonly SourceFile[];
  /** Every profile named by any service, enabled or not (for `config --profiles`). */
  readonly profiles: readonly string[];
  /** The variables interpolation used and where each came from (for `config --explain`). */
  readonly interpolation?: InterpolationEnv;
  /** The env files interpolation read (absolute): `--env-file`s, or the project's `.env`. */
  readonly envFiles?: readonly string[];
  /** With `allowCycle`: the depends_on cycle found, closed (a → b → a). */
  readonly cycle?: readonly string[];
}

export function loadProject(options: LoadOptions): LoadResult {
  // The .env may name the files (COMPOSE_FILE): project-env.ts reads it around discovery.
  const { discovered, envFiles, interpolation } = resolveProjectEnv({
    cwd: options.cwd, env: options.env, ...opt('files', options.files), ...opt('projectDirectory', options.projectDirectory), ...opt('envFiles', options.envFiles),
  });
  const { files, workingDir, warnings: discoveryNotes } = discovered;
  const { lookup } = interpolation;
  const loader = createFileLoader({ lookup, homeDir: options.homeDir, readStdin: options.readStdin });
  const stage = loader.loadModel(files, workingDir);
  const issues = [...stage.issues];
  if (issues.length > 0) throw new ConfigError(issues);

  const locator = createModelLocator(loader.sources);
  const topLevelName = typeof stage.tree.name === 'string' ? stage.tree.name : undefined;
  const projectName = resolveProjectName({
    ...opt('flag', options.projectName),
    env: { COMPOSE_PROJECT_NAME: lookup('COMPOSE_PROJECT_NAME') },
    ...opt('topLevelName', topLevelName),
    workingDir,
    locateTopLevelName: (message, hint) => locator.issue(['name'], message, { hint }),
  });
  const profiles = options.profiles ?? splitList(lookup('COMPOSE_PROFILES'));
  const profiled = applyProfiles(stage.tree, { profiles, enabledServices: options.services ?? [] });
  const normalized = normalizeTree(profiled.tree, { projectName, lookup, locator, selected: new Set(options.services ?? []) });
  const services = (stage.tree.services ?? {}) as Tree;
  const disabledServices = new Map(profiled.disabled.map((name) => [name, profilesOf(services[name])] as const));
  const consistency = checkConsistency(normalized.tree, { locator, disabledServices });
  const problems = [...normalized.issues, ...consistency.issues];
  const tolerated = options.allowCycle === true && consistency.cycle !== undefined;
  if (consistency.cycle && !tolerated) throw new CycleError(consistency.cycle, problems);
  const blocking = tolerated ? problems.filter((p) => !p.message.startsWith('dependency cycle:')) : problems;
  if (blocking.length > 0) throw new ConfigError(blocking);

  const configFiles = files.map((f) => (f === '-' ? '-' : f));
  const project = toProject(normalized.tree, { workingDir, configFiles, disabledServices: profiled.disabled, lookup });
  return {
    project, warnings: [...describeDiscovery(files, discoveryNotes), ...describeUnset(stage.unset)], sources: loader.sources, profiles: listProfiles(stage.tree), interpolation, envFiles,
    ...(tolerated && consistency.cycle ? { cycle: consistency.cycle } : {}),
  };
}

interface StageResult {
  readonly tree: Tree;
  readonly issues: ConfigIssue[];
  readonly unset: UnsetVariable[];
}

/** Runs the per-file stages, caching files reached again through extends. */
function createFileLoader(ctx: { lookup: Lookup; homeDir: string; readStdin: (() => string) | undefined }) {
  const sources: SourceFile[] = [];
  const cache = new Map<string, { tree: Tree; source: SourceFile }>();

  const read = (path: string): SourceFile => {
    const source = path === '-' ? parseSource('-', ctx.readStdin?.() ?? '') : readSource(path);
    sources.push(source);
    return source;
  };

  /** parse → interpolate → validate → canonicalise one file; extends and include come after. */
  const canonicalFile = (path: string, workingDir: string, unset: UnsetVariable[], issues: ConfigIssue[]): { tree: Tree; source: SourceFile } => {
    const source = read(path);
    const interpolated = interpolateTree(source, dropResetItems(source.tree, source.tags), ctx.lookup);
    unset.push(...interpolated.unset);
    const tree = (interpolated.tree ?? {}) as Tree;
    const schemaIssues = [...interpolated.issues, ...validateTree(source, tree)];
    if (schemaIssues.length > 0) {
      issues.push(...schemaIssues);
      return { tree: {}, source };
    }
    const canonical = canonicalizeTree(tree, { source, workingDir, homeDir: ctx.homeDir });
    issues.push(...canonical.issues);
    return { tree: canonical.tree, source };
  };

  const loadFile = (path: string, workingDir: string, seen: readonly string[], unset: UnsetVariable[], issues: ConfigIssue[]): Tree => {
    const { tree, source } = canonicalFile(path, workingDir, unset, issues);
    // resolveExtends follows chains across files itself; the files it reaches stop at canonical.
    const extended = resolveExtends(tree, {
      source,
      loadFile: (absPath: string) => {
        const hit = cache.get(absPath);
        if (hit) return hit;
        const entry = canonicalFile(absPath, dirname(absPath), unset, issues);
        cache.set(absPath, entry);
        return entry;
      },
    });
    issues.push(...extended.issues);
    const included = resolveIncludes(extended.tree, {
      source,
      seen: [...seen, path],
      workingDir,
      loadProject: (files: string[], projectDirectory: string, envFiles: string[]) => {
        const files_ = envFiles.length > 0 ? envFiles : defaultEnvFiles(projectDirectory);
        const nestedLookup = files_.length > 0 ? createInterpolationEnv({ shellEnv: {}, envFiles: files_ }).lookup : undefined;
        const lookup: Lookup = nestedLookup ? (n) => ctx.lookup(n) ?? nestedLookup(n) : ctx.lookup;
        const nested = createFileLoader({ ...ctx, lookup });
        const result = nested.loadModel(files, projectDirectory, [...seen, path]);
        sources.push(...nested.sources);
        unset.push(...result.unset);
        issues.push(...result.issues);
        return { tree: result.tree };
      },
    });
    issues.push(...included.issues);
    return included.tree;
  };

  const loadModel = (files: readonly string[], workingDir: string, seen: readonly string[] = []): StageResult => {
    const issues: ConfigIssue[] = [];
    const unset: UnsetVariable[] = [];
    let merged: Tree = {};
    for (const file of files) {
      const before = sources.length;
      const tree = loadFile(file, workingDir, seen, unset, issues);
      const tags = sources[before]?.tags ?? [];
      // The first file without merge tags is the model as it stands: merging it into nothing
      // would only copy it (the tree is this load's own, shared with nothing).
      merged = Object.keys(merged).length === 0 && tags.length === 0 ? tree : mergeTrees(merged, tree, tags);
    }
    return { tree: merged, issues, unset };
  };

  return { sources, loadModel };
}

/** Discovery notes (two candidate files, say), as warnings about the file that was used. */
function describeDiscovery(files: readonly string[], notes: readonly string[]): ConfigIssue[] {
  return notes.map((message) => ({ file: files[0] ?? '', line: 0, column: 0, path: [], message }));
}

/** One warning per unset variable, at its first use. */
function describeUnset(unset: readonly UnsetVariable[]): ConfigIssue[] {
  const seen = new Set<string>();
  const warnings: ConfigIssue[] = [];
  for (const u of unset) {
    if (seen.has(u.name)) continue;
    seen.add(u.name);
    warnings.push({ file: u.file, line: u.line, column: u.column, path: u.path, message: `variable "${u.name}" is not set; using an empty string`, hint: `set ${u.name} in the environment or in .env, or give a default: \${${u.name}:-value}` });
  }
  return warnings;
}

function listProfiles(tree: Tree): string[] {
  const all = new Set<string>();
  for (const service of Object.values((tree.services ?? {}) as Tree)) {
    const profiles = (service as Tree | null)?.profiles;
    if (Array.isArray(profiles)) for (const p of profiles) all.add(String(p));
  }
  return [...all].sort();
}

function splitList(value: string | undefined): string[] {
  return value ? value.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

