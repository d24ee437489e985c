// A build context as the Docker CLI sends it: the context directory as a tar stream, without what
// .dockerignore excludes, symlinks as symlinks, modes kept, owner root, files read as the stream is
// consumed (a chunk at a time, never the whole context in memory).
import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, type Dirent, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
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

/** Files up to this size are read whole; larger ones a chunk at a time, as the stream drains. */
const WHOLE_FILE_LIMIT = 256 * 1024;
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
  const stream = Readable.from(generateTar(contextDir, matcher, dockerfile.generated), { objectMode: false });
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

/**
 * The archive, as 64 KiB chunks produced when the stream asks for them. Files are read with
 * synchronous calls: for thousands of small files they are several times faster than the
 * promise API, and each chunk blocks the event loop for well under a millisecond.
 */
function* generateTar(contextDir: string, matcher: IgnoreMatcher, generated: Generated | undefined): Generator<Buffer> {
  const out = createChunker();
  let sawIgnoreFile = false;
  for (const entry of walk(contextDir, '', matcher)) {
    if (generated !== undefined && entry.name === '.dockerignore' && entry.stats.isFile()) {
      // The engine drops what .dockerignore names once it has read the Dockerfile: name ours there.
      sawIgnoreFile = true;
      yield* out.push(fileEntry(headerFields(entry), withIgnored(readWhole(entry), generated.name)));
    } else if (entry.stats.isFile() && entry.stats.size <= WHOLE_FILE_LIMIT) {
      yield* out.push(fileEntry(headerFields(entry), readWhole(entry)));
    } else {
      for (const buffer of streamedEntry(entry)) yield* out.push(buffer);
    }
  }
  if (generated !== undefined) {
    const now = Math.floor(Date.now() / 1000);
    yield* out.push(fileEntry({ name: generated.name, mtime: now, mode: 0o600 }, generated.content));
    if (!sawIgnoreFile) yield* out.push(fileEntry({ name: '.dockerignore', mtime: now, mode: 0o600 }, withIgnored(Buffer.alloc(0), generated.name)));
  }
  yield* out.push(END_OF_ARCHIVE);
  yield* out.flush();
}

function withIgnored(content: Buffer, name: string): Buffer {
  return Buffer.concat([content, Buffer.from(`\n${name}\n`, 'utf8')]);
}

function readWhole(entry: Entry): Buffer {
  try {
    return readFileSync(entry.path);
  } catch (error) {
    return contextError(entry, error);
  }
}

function fileEntry(fields: Pick<TarHeader, 'name' | 'mode' | 'mtime'>, content: Buffer): Buffer {
  return Buffer.concat([encodeHeader({ ...fields, type: 'file', size: content.length }), content, padding(content.length)]);
}

function headerFields(entry: Entry): Pick<TarHeader, 'name' | 'mode' | 'mtime'> {
  return { name: entry.name, mode: entry.stats.mode & 0o7777, mtime: Math.floor(entry.stats.mtimeMs / 1000) };
}

/** Directories, symlinks and FIFOs are headers only; large files are read a chunk at a time. */
function* streamedEntry(entry: Entry): Generator<Buffer> {
  const { stats } = entry;
  if (stats.isDirectory()) return yield encodeHeader({ ...headerFields(entry), type: 'directory', size: 0 });
  if (stats.isFIFO()) return yield encodeHeader({ ...headerFields(entry), type: 'fifo', size: 0 });
  if (stats.isSymbolicLink()) {
    let linkname: string;
    try {
      linkname = readlinkSync(entry.path);
    } catch (error) {
      return contextError(entry, error);
    }
    return yield encodeHeader({ ...headerFields(entry), type: 'symlink', size: 0, linkname });
  }
  yield encodeHeader({ ...headerFields(entry), type: 'file', size: stats.size });
  let fd: number;
  try {
    fd = openSync(entry.path, 'r');
  } catch (error) {
    return contextError(entry, error);
  }
  try {
    for (let sent = 0; sent < stats.size;) {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK_SIZE, stats.size - sent));
      const bytesRead = readSync(fd, buffer, 0, buffer.length, sent);
      // The header has promised stats.size bytes: a file that shrank cannot be sent truthfully.
      if (bytesRead === 0) throw new GantryError(`build context file ${entry.path} shrank while it was being sent`);
      sent += bytesRead;
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    closeSync(fd);
  }
  yield padding(stats.size);
}

/**
 * Depth first in name order, as Docker's walk. Excluded entries are skipped by name and type
 * alone (no stat); excluded directories are entered only for exceptions.
 */
function* walk(root: string, dir: string, matcher: IgnoreMatcher): Generator<Entry> {
  const absolute = dir === '' ? root : join(root, dir);
  let dirents: Dirent[];
  try {
    dirents = readdirSync(absolute, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    return contextError({ path: absolute }, error);
  }
  for (const dirent of dirents) {
    const name = dir === '' ? dirent.name : `${dir}/${dirent.name}`;
    if (matcher.isExcluded(name)) {
      if (dirent.isDirectory() && matcher.mayIncludeInside(name)) yield* walk(root, name, matcher);
      continue;
    }
    // Sockets and devices have no place in an image built from a context.
    if (dirent.isSocket() || dirent.isBlockDevice() || dirent.isCharacterDevice()) continue;
    const path = join(absolute, dirent.name);
    let stats: Stats;
    try {
      stats = lstatSync(path);
    } catch (error) {
      return contextError({ path }, error);
    }
    yield { name, path, stats };
    if (stats.isDirectory()) yield* walk(root, name, matcher);
  }
}

/** Joins small buffers into chunks of at least CHUNK_SIZE: fewer, larger writes to the engine. */
function createChunker(): { push(buffer: Buffer): Generator<Buffer>; flush(): Generator<Buffer> } {
  let parts: Buffer[] = [];
  let length = 0;
  function* flush(): Generator<Buffer> {
    if (length === 0) return;
    yield parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, length);
    parts = [];
    length = 0;
  }
  return {
    *push(buffer) {
      parts.push(buffer);
      length += buffer.length;
      if (length >= CHUNK_SIZE) yield* flush();
    },
    flush,
  };
}

function contextError(entry: { readonly path: string }, error: unknown): never {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  const reason = code === 'EACCES' ? 'permission denied' : code === 'ENOENT' ? 'it disappeared while the context was being sent' : error instanceof Error ? error.message : String(error);
  throw new GantryError(`could not read the build context: ${entry.path}: ${reason}`, { cause: error });
}
