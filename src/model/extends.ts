// `extends:` resolution: a service inherits another's definition (same file or another file, in
// chains) with the merge rules of `-f` files, so a shared base service is written once.
//
// Following compose v2 (compose-go's ApplyExtends), every attribute is inherited, including
// depends_on, volumes_from, links and `service:` references: the spec's "Restrictions" say only that
// the resources these name are not imported, so the extending file must declare them itself.
import { ConfigError, type ConfigIssue } from '../errors.js';
import { mergeTrees, type TaggedPath } from './merge.js';
import { issueAt, type SourceFile } from './source.js';
import { asRecord, isRecord, setKey, type Tree } from './tree.js';

export interface ExtendsContext {
  readonly source: SourceFile;
  /** Reads, interpolates, validates and canonicalizes another file (relative to its own directory). */
  readonly loadFile: (absPath: string) => { tree: Record<string, unknown>; source: SourceFile };
}

interface FileModel {
  readonly tree: Tree;
  readonly source: SourceFile;
  /** Services already resolved in this file (undefined marks one that could not be). */
  readonly resolved: Map<string, unknown>;
}

/** Returns a new tree in which no service has `extends`; problems are located issues. */
export function resolveExtends(tree: Record<string, unknown>, ctx: ExtendsContext): { tree: Record<string, unknown>; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const main: FileModel = { tree, source: ctx.source, resolved: new Map() };
  const files = new Map<string, FileModel | undefined>([[ctx.source.path, main]]);

  const openFile = (path: string, from: FileModel, name: string): FileModel | undefined => {
    if (files.has(path)) return files.get(path);
    let model: FileModel | undefined;
    try {
      const loaded = ctx.loadFile(path);
      model = { tree: loaded.tree, source: loaded.source, resolved: new Map() };
    } catch (error) {
      issues.push(...issuesFromLoadError(error, (message) => issueAt(from.source, ['services', name, 'extends', 'file'], `cannot extend service "${name}": ${message}`)));
    }
    files.set(path, model);
    return model;
  };

  const resolveService = (file: FileModel, name: string, stack: readonly string[]): unknown => {
    if (file.resolved.has(name)) return file.resolved.get(name);
    const raw = asRecord(file.tree.services)[name];
    if (!isRecord(raw) || !isRecord(raw.extends)) return raw;
    const { extends: ext, ...own } = raw;
    const step = `${name} (${file.source.path})`;
    const fail = (path: (string | number)[], message: string): unknown => {
      issues.push(issueAt(file.source, ['services', name, 'extends', ...path], message));
      return own;
    };
    if (stack.includes(step)) return fail([], `extends cycle: ${describeCycle([...stack, step])}`);
    const baseName = String(ext.service);
    const target = typeof ext.file === 'string' ? openFile(ext.file, file, name) : file;
    if (target === undefined) return own;
    if (!isRecord(target.tree.services) || !Object.hasOwn(target.tree.services, baseName)) {
      const where = target === file ? '' : ` in ${target.source.path}`;
      return fail(['service'], `cannot extend service "${name}": service "${baseName}" not found${where}`);
    }
    const base = resolveService(target, baseName, [...stack, step]);
    const merged = mergeTrees({ services: { [name]: isRecord(base) ? base : {} } }, { services: { [name]: own } }, tagsOfService(file.source, name));
    const result = asRecord(merged.services)[name];
    file.resolved.set(name, result);
    return result;
  };

  const services: Tree = {};
  for (const name of Object.keys(asRecord(tree.services))) setKey(services, name, resolveService(main, name, []));
  return { tree: isRecord(tree.services) ? { ...tree, services } : { ...tree }, issues };
}

/** The file's `!reset`/`!override` tags on one service: they apply to its merge onto the base. */
function tagsOfService(source: SourceFile, name: string): TaggedPath[] {
  return source.tags.filter((t) => t.path[0] === 'services' && t.path[1] === name);
}

/** "web → base → web", naming files only where the chain leaves the first one. */
function describeCycle(steps: readonly string[]): string {
  const first = /\((.*)\)$/.exec(steps[0] ?? '')?.[1];
  return steps.map((s) => (first !== undefined && s.endsWith(`(${first})`) ? s.slice(0, -first.length - 3) : s)).join(' → ');
}

/**
 * A failure to load another file (extends, include) as issues. File-level problems (missing,
 * unreadable) carry no line, so they are reported at the reference instead; problems inside the
 * other file keep their own location.
 */
export function issuesFromLoadError(error: unknown, atReference: (message: string) => ConfigIssue): ConfigIssue[] {
  if (!(error instanceof ConfigError)) throw error;
  const located = error.issues.filter((i) => i.line > 0);
  const unlocated = error.issues.filter((i) => i.line === 0);
  return [...located, ...unlocated.map((i) => ({ ...atReference(i.message), ...(i.hint ? { hint: i.hint } : {}) }))];
}
