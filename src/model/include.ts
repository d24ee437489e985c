// `include:` loads other compose applications, each with its own project directory and .env, and
// copies their resources into this model, so teams can compose applications without merging them.
import { dirname, isAbsolute, resolve } from 'node:path';
import type { ConfigIssue } from '../errors.js';
import { issuesFromLoadError } from './extends.js';
import { issueAt, type SourceFile } from './source.js';
import { asList, asRecord, isDeepEqual, isRecord, setKey, type Tree } from './tree.js';

export interface IncludeContext {
  readonly source: SourceFile;
  /**
   * Loads the files as one model (parse → … → merge, their own includes resolved), relative paths
   * against `projectDirectory`. `envFiles` are absolute; empty means compose's default: the
   * `.env` in `projectDirectory`, when there is one.
   */
  readonly loadProject: (files: string[], projectDirectory: string, envFiles: string[]) => { tree: Record<string, unknown> };
  /** Files on the include chain above this one (for cycle detection); `source` is added here. */
  readonly seen: readonly string[];
  /** Base of relative include paths; defaults to the directory of `source`. */
  readonly workingDir?: string;
}

const KINDS = [['services', 'service'], ['networks', 'network'], ['volumes', 'volume'], ['secrets', 'secret'], ['configs', 'config']] as const;

interface IncludeEntry {
  readonly paths: string[];
  readonly projectDirectory: string;
  readonly envFiles: string[];
}

/** Returns a new tree with the included resources added and `include` removed. */
export function resolveIncludes(tree: Record<string, unknown>, ctx: IncludeContext): { tree: Record<string, unknown>; issues: ConfigIssue[] } {
  const { include, ...rest } = tree;
  const out: Tree = { ...rest };
  const issues: ConfigIssue[] = [];
  if (include === undefined || include === null) return { tree: out, issues };
  const baseDir = ctx.workingDir ?? dirname(ctx.source.path);
  const chain = ctx.seen.includes(ctx.source.path) ? [...ctx.seen] : [...ctx.seen, ctx.source.path];
  const origins = new Map<string, string>();
  for (const [kind] of KINDS) for (const name of Object.keys(asRecord(tree[kind]))) origins.set(`${kind}/${name}`, ctx.source.path);

  asList(include).forEach((raw, i) => {
    const at = (message: string, hint?: string): ConfigIssue => issueAt(ctx.source, ['include', i], message, hint ? { hint } : {});
    const entry = readEntry(raw, baseDir);
    if (entry === undefined) return void issues.push(at('an include entry needs a path'));
    const looped = entry.paths.find((p) => chain.includes(p));
    if (looped !== undefined) {
      const loop = [...chain.slice(chain.indexOf(looped)), looped].join(' → ');
      return void issues.push(at(`include cycle: ${loop}`, 'a file cannot include itself, directly or through other files'));
    }
    let included: Tree;
    try {
      included = ctx.loadProject(entry.paths, entry.projectDirectory, entry.envFiles).tree;
    } catch (error) {
      return void issues.push(...issuesFromLoadError(error, (message) => at(`cannot include ${entry.paths[0]}: ${message}`)));
    }
    importResources({ target: out, included, from: entry.paths[0] as string, origins, ctx, at, issues });
  });
  return { tree: out, issues };
}

function readEntry(raw: unknown, baseDir: string): IncludeEntry | undefined {
  const entry = isRecord(raw) ? raw : { path: raw };
  const paths = toStrings(entry.path).map((p) => absolute(p, baseDir));
  if (paths.length === 0) return undefined;
  const projectDirectory = typeof entry.project_directory === 'string' ? absolute(entry.project_directory, baseDir) : dirname(paths[0] as string);
  return { paths, projectDirectory, envFiles: toStrings(entry.env_file).map((p) => absolute(p, baseDir)) };
}

function toStrings(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  return asList(value).filter((v): v is string => typeof v === 'string' && v !== '');
}

function absolute(path: string, baseDir: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/**
 * Copies the included model's resources. A name already defined, here or by an earlier include,
 * is a conflict unless both definitions are identical (two includes sharing a common file).
 */
function importResources(args: {
  target: Tree;
  included: Tree;
  from: string;
  origins: Map<string, string>;
  ctx: IncludeContext;
  at: (message: string, hint?: string) => ConfigIssue;
  issues: ConfigIssue[];
}): void {
  const { target, included, from, origins, ctx, issues } = args;
  for (const [kind, noun] of KINDS) {
    const incoming = asRecord(included[kind]);
    if (Object.keys(incoming).length === 0) continue;
    const merged: Tree = { ...asRecord(target[kind]) };
    for (const [name, definition] of Object.entries(incoming)) {
      const origin = origins.get(`${kind}/${name}`);
      if (origin === undefined) {
        setKey(merged, name, definition);
        origins.set(`${kind}/${name}`, from);
      } else if (!isDeepEqual(merged[name], definition)) {
        const message = `${noun} "${name}" is defined in both ${origin} and ${from}`;
        const hint = 'rename one of them: an included resource cannot be redefined or merged';
        issues.push(origin === ctx.source.path ? issueAt(ctx.source, [kind, name], message, { hint, key: true }) : args.at(message, hint));
      }
    }
    target[kind] = merged;
  }
}
