// A build context as the Docker CLI sends it: the context directory as a tar stream, without what
// .dockerignore excludes, symlinks as symlinks, modes kept, owner root, files read as the stream is
// consumed (a bounded read-ahead, never the whole context in memory).
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, open, readdir, readFile, readlink, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { GantryError } from '../errors.js';
import { createIgnoreMatcher, parseDockerignore, type IgnoreMatcher } from './dockerignore.js';
import { encodeHeader, END_OF_ARCHIVE, padding, type TarHeader } from './tar-writer.js';

export interface BuildContextOptions {
  /** The context directory (absolute, as the model resolves `build.context`). */
  readonly contextDir: string;
  /** The Dockerfile, relative to the context or absolute. @default 'Dockerfile' */
  readonly dockerfile?: string;
  /** `dockerfile_inline`: sent as a generated entry; `dockerfile` is then ignored. */
  readonly dockerfileInline?: string;
}

export interface BuildContext {
  readonly stream: Readable;
  /** The Dockerfile's path inside the context: the engine's `dockerfile` parameter. */
  readonly dockerfile: string;
  /** The ignore file that applied, if any (absolute). */
  readonly ignoreFile?: string;
}

/** Files up to this size are read whole (a few at once); larger ones are streamed in chunks. */
const WHOLE_FILE_LIMIT = 1024 * 1024;
const READ_AHEAD = 16;
const CHUNK_SIZE = 64 * 1024;

interface Generated {
  readonly name: string;
  readonly content: Buffer;
}

interface Entry {
  readonly name: string;
  readonly path: string;
  readonly stats: Stats;
}

/** Resolves the Dockerfile and ignore rules now (so mistakes fail fast); the files are read later. */
export async function createBuildContext(options: BuildContextOptions): Promise<BuildContext> {
  const contextDir = resolve(options.contextDir);
  const info = await stat(contextDir).catch((error: unknown) => {
    throw new GantryError(`build context ${contextDir} does not exist`, { cause: error });
  });
  if (!info.isDirectory()) throw new GantryError(`build context ${contextDir} is not a directory`);
  const dockerfile = await locateDockerfile(contextDir, options);
  const ignoreFile = await findIgnoreFile(contextDir, dockerfile.path);
  const lines = ignoreFile === undefined ? [] : parseDockerignore(await readFile(ignoreFile, 'utf8'));
  const matcher = keepBuildFiles(lines, dockerfile.generated === undefined ? dockerfile.name : undefined, ignoreFile);
  const stream = Readable.from(coalesce(generateTar(contextDir, matcher, dockerfile.generated)), { objectMode: false });
  return { stream, dockerfile: dockerfile.name, ...(ignoreFile === undefined ? {} : { ignoreFile }) };
}

interface LocatedDockerfile {
  readonly name: string;
  /** The file on disk, when there is one. */
  readonly path?: string;
  /** Sent as an extra entry: inline content, or a Dockerfile outside the context. */
  readonly generated?: Generated;
}

async function locateDockerfile(contextDir: string, options: BuildContextOptions): Promise<LocatedDockerfile> {
  if (options.dockerfileInline !== undefined) return asGenerated(Buffer.from(options.dockerfileInline, 'utf8'));
  const path = resolve(contextDir, options.dockerfile ?? 'Dockerfile');
  const found = await stat(path).catch(() => undefined);
  if (found === undefined || !found.isFile()) {
    throw new GantryError(`Dockerfile not found: ${path}`, { hint: 'set build.dockerfile to the Dockerfile\'s path, relative to build.context' });
  }
  const inside = relative(contextDir, path);
  if (inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    // As the Docker CLI does: a Dockerfile outside the context travels inside it under a generated name.
    return { ...asGenerated(await readFile(path)), path };
  }
  return { name: inside.split(sep).join('/'), path };
}

function asGenerated(content: Buffer): LocatedDockerfile {
  const generated = generatedDockerfile(content);
  return { name: generated.name, generated };
}

function generatedDockerfile(content: Buffer): Generated {
  // Named by content rather than at random, so the same file gives the same context (and cache).
  const digest = createHash('sha256').update(content).digest('hex').slice(0, 20);
  return { name: `.dockerfile.${digest}`, content };
}

/** `<Dockerfile>.dockerignore` beside the Dockerfile wins over the context's `.dockerignore`. */
async function findIgnoreFile(contextDir: string, dockerfilePath: string | undefined): Promise<string | undefined> {
  const candidates = [...(dockerfilePath === undefined ? [] : [`${dockerfilePath}.dockerignore`]), join(contextDir, '.dockerignore')];
  for (const candidate of candidates) {
    const found = await stat(candidate).catch(() => undefined);
    if (found?.isFile() === true) return candidate;
  }
  return undefined;
}

/** Docker's TrimBuildFilesFromExcludes: the Dockerfile and .dockerignore are sent even when excluded. */
function keepBuildFiles(lines: readonly string[], dockerfile: string | undefined, ignoreFile: string | undefined): IgnoreMatcher {
  const source = ignoreFile ?? '.dockerignore';
  const first = createIgnoreMatcher(lines, source);
  const kept = [...lines];
  if (first.isExcluded('.dockerignore')) kept.push('!.dockerignore');
  if (dockerfile !== undefined && first.isExcluded(dockerfile)) kept.push(`!${dockerfile}`);
  return kept.length === lines.length ? first : createIgnoreMatcher(kept, source);
}

async function* generateTar(contextDir: string, matcher: IgnoreMatcher, generated: Generated | undefined): AsyncGenerator<Buffer> {
  let sawIgnoreFile = false;
  const now = Math.floor(Date.now() / 1000);
  for await (const item of readAhead(walk(contextDir, '', matcher), READ_AHEAD, loadSmallFile)) {
    const { entry, content } = item;
    if (generated !== undefined && entry.name === '.dockerignore' && content !== undefined) {
      // The engine drops what .dockerignore names once it has read the Dockerfile: name ours there.
      sawIgnoreFile = true;
      yield* fileEntry(entry, withIgnored(content, generated.name));
    } else if (content !== undefined) {
      yield* fileEntry(entry, content);
    } else {
      yield* streamedEntry(entry);
    }
  }
  if (generated !== undefined) {
    yield* fileEntry({ name: generated.name, mtime: now, mode: 0o600 }, generated.content);
    if (!sawIgnoreFile) yield* fileEntry({ name: '.dockerignore', mtime: now, mode: 0o600 }, withIgnored(Buffer.alloc(0), generated.name));
  }
  yield END_OF_ARCHIVE;
}

function withIgnored(content: Buffer, name: string): Buffer {
  return Buffer.concat([content, Buffer.from(`\n${name}\n`, 'utf8')]);
}

type Loaded = { readonly entry: Entry; readonly content?: Buffer };

/** Small regular files are read whole, ahead of their turn; everything else is described by its stats. */
async function loadSmallFile(entry: Entry): Promise<Loaded> {
  if (!entry.stats.isFile() || entry.stats.size > WHOLE_FILE_LIMIT) return { entry };
  const content = await readFile(entry.path).catch((error: unknown) => contextError(entry, error));
  return { entry, content };
}

function* fileEntry(entry: Entry | { name: string; mtime: number; mode: number }, content: Buffer): Generator<Buffer> {
  const header: TarHeader = 'stats' in entry
    ? { ...headerFields(entry), type: 'file', size: content.length }
    : { name: entry.name, type: 'file', mode: entry.mode, mtime: entry.mtime, size: content.length };
  yield Buffer.concat([encodeHeader(header), content, padding(content.length)]);
}

function headerFields(entry: Entry): Pick<TarHeader, 'name' | 'mode' | 'mtime'> {
  return { name: entry.name, mode: entry.stats.mode & 0o7777, mtime: Math.floor(entry.stats.mtimeMs / 1000) };
}

/** Directories, symlinks and FIFOs are headers only; large files are read in chunks as the stream drains. */
async function* streamedEntry(entry: Entry): AsyncGenerator<Buffer> {
  const { stats } = entry;
  if (stats.isDirectory()) return yield encodeHeader({ ...headerFields(entry), type: 'directory', size: 0 });
  if (stats.isFIFO()) return yield encodeHeader({ ...headerFields(entry), type: 'fifo', size: 0 });
  if (stats.isSymbolicLink()) {
    const linkname = await readlink(entry.path).catch((error: unknown) => contextError(entry, error));
    return yield encodeHeader({ ...headerFields(entry), type: 'symlink', size: 0, linkname });
  }
  yield encodeHeader({ ...headerFields(entry), type: 'file', size: stats.size });
  const handle = await open(entry.path, 'r').catch((error: unknown) => contextError(entry, error));
  try {
    let sent = 0;
    while (sent < stats.size) {
      const buffer = Buffer.alloc(Math.min(CHUNK_SIZE, stats.size - sent));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, sent);
      if (bytesRead === 0) throw new GantryError(`build context file ${entry.path} shrank while it was being sent`);
      sent += bytesRead;
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
  yield padding(stats.size);
}

/** Depth first in name order, as Docker's walk; excluded directories are entered only for exceptions. */
async function* walk(root: string, dir: string, matcher: IgnoreMatcher): AsyncGenerator<Entry> {
  const absolute = dir === '' ? root : join(root, dir);
  const names = (await readdir(absolute).catch((error: unknown) => contextError({ path: absolute }, error))).sort();
  const stats = await Promise.all(names.map((name) => lstat(join(absolute, name)).catch((error: unknown) => contextError({ path: join(absolute, name) }, error))));
  for (const [i, name] of names.entries()) {
    const entry: Entry = { name: dir === '' ? name : `${dir}/${name}`, path: join(absolute, name), stats: stats[i] as Stats };
    if (matcher.isExcluded(entry.name)) {
      if (entry.stats.isDirectory() && matcher.mayIncludeInside(entry.name)) yield* walk(root, entry.name, matcher);
      continue;
    }
    // Sockets and devices have no place in an image built from a context.
    if (entry.stats.isSocket() || entry.stats.isBlockDevice() || entry.stats.isCharacterDevice()) continue;
    yield entry;
    if (entry.stats.isDirectory()) yield* walk(root, entry.name, matcher);
  }
}

/** Starts up to `window` loads ahead of the consumer and yields their results in order. */
async function* readAhead<T, R>(source: AsyncIterable<T>, window: number, load: (item: T) => Promise<R>): AsyncGenerator<R> {
  const pending: Promise<R>[] = [];
  for await (const item of source) {
    const loading = load(item);
    // Awaited in turn below; until then a failure must not count as unhandled.
    loading.catch(() => undefined);
    pending.push(loading);
    if (pending.length >= window) yield await (pending.shift() as Promise<R>);
  }
  while (pending.length > 0) yield await (pending.shift() as Promise<R>);
}

/** Joins small buffers into chunks of at least CHUNK_SIZE: fewer, larger writes to the engine. */
async function* coalesce(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let length = 0;
  for await (const buffer of source) {
    parts.push(buffer);
    length += buffer.length;
    if (length >= CHUNK_SIZE) {
      yield parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, length);
      parts = [];
      length = 0;
    }
  }
  if (length > 0) yield Buffer.concat(parts, length);
}

function contextError(entry: { readonly path: string }, error: unknown): never {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  const reason = code === 'EACCES' ? 'permission denied' : code === 'ENOENT' ? 'it disappeared while the context was being sent' : error instanceof Error ? error.message : String(error);
  throw new GantryError(`could not read the build context: ${entry.path}: ${reason}`, { cause: error });
}
