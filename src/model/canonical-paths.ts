// Relative paths in a compose file → absolute ones, at the canonical stage, so a path means the same
// thing after files from different directories are merged (bind sources, build contexts, env files).
import { isAbsolute, join, resolve } from 'node:path';
import { isRecord, setKey, toBoolean, type Tree } from './tree.js';

export interface PathContext {
  readonly workingDir: string;
  readonly homeDir: string;
}

/** `~` and relative host paths resolved against the home and working directories. */
export function resolveHostPath(path: string, ctx: PathContext): string {
  if (path === '~') return ctx.homeDir;
  if (path.startsWith('~/')) return join(ctx.homeDir, path.slice(2));
  return isAbsolute(path) ? path : resolve(ctx.workingDir, path);
}

const REMOTE_CONTEXT = /^(https?:\/\/|git@|git:\/\/|ssh:\/\/|github\.com\/)/;

/** Build contexts are directories unless they are URLs; additional contexts may also name images or services. */
function resolveContext(context: string, ctx: PathContext): string {
  if (REMOTE_CONTEXT.test(context) || context.includes('://') || /^(service|target):/.test(context)) return context;
  return resolveHostPath(context, ctx);
}

/** `build: ./dir` → {context, dockerfile}; compose prints the default Dockerfile name too. */
export function canonicalBuild(value: unknown, ctx: PathContext): unknown {
  if (typeof value !== 'string' && !isRecord(value)) return value;
  const { context, dockerfile, ...rest } = typeof value === 'string' ? { context: value } : value;
  const inline = typeof rest.dockerfile_inline === 'string';
  return {
    context: resolveContext(typeof context === 'string' ? context : '.', ctx),
    ...(dockerfile !== undefined ? { dockerfile } : inline ? {} : { dockerfile: 'Dockerfile' }),
    ...rest,
  };
}

/** Takes the mapping form (the caller has turned a list into one). */
export function resolveAdditionalContexts(value: unknown, ctx: PathContext): unknown {
  if (!isRecord(value)) return value;
  const out: Tree = {};
  for (const [name, context] of Object.entries(value)) setKey(out, name, typeof context === 'string' ? resolveContext(context, ctx) : context);
  return out;
}

/** `env_file: .env` or a list → [{path, required}] with absolute paths. */
export function canonicalEnvFile(value: unknown, ctx: PathContext): unknown {
  const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (!items) return value;
  return items.map((item) => {
    const { path, required, ...rest }: Tree = isRecord(item) ? item : { path: String(item) };
    return { path: resolveHostPath(String(path), ctx), required: toBoolean(required) ?? true, ...rest };
  });
}

/** A path or list of paths (label_file) → a list of absolute paths. */
export function canonicalPathList(value: unknown, ctx: PathContext): unknown {
  const items = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  return items ? items.map((p) => resolveHostPath(String(p), ctx)) : value;
}

/** `extends: base` → {service}; a referenced file made absolute against this file's directory. */
export function canonicalExtends(value: unknown, ctx: PathContext): unknown {
  if (typeof value === 'string') return { service: value };
  if (!isRecord(value) || typeof value.file !== 'string') return value;
  return { ...value, file: resolveHostPath(value.file, ctx) };
}

/** A top-level secret or config: `file:` made absolute; an empty definition becomes {}. */
export function canonicalFileObject(value: unknown, ctx: PathContext): unknown {
  if (value === null || value === undefined) return {};
  if (!isRecord(value) || typeof value.file !== 'string') return value;
  return { ...value, file: resolveHostPath(value.file, ctx) };
}
