// The one hint that needs the image: a bind mount over a directory the image's build filled hides
// those files from the container (a classic "my app is gone" surprise). Pure: the caller reads each
// image's history from the engine, only for images that are present and behind a bind mount.
import { posix } from 'node:path';
import type { ImageHistory } from '../engine/engine.js';
import type { Hint } from './hints.js';
import type { SourceFile } from './source.js';
import type { Mount, Project } from './types.js';
import { createValueLocator } from './value-locator.js';

export interface FilledPath {
  /** Absolute, normalised path in the image: '/srv/site'. */
  readonly path: string;
  /**
   * The step wrote a directory there (a `dir:`/`multi:` source, several sources, a destination
   * ending in '/'). Otherwise it may be one file, and a bind on exactly that path is a deliberate
   * replacement of the file (`./nginx.conf:/etc/nginx/nginx.conf`), not a mistake.
   */
  readonly directory: boolean;
  /** The history step that wrote it, shortened for messages: 'COPY dir:3f1c2a9b8d7e in /srv/site'. */
  readonly step: string;
}

/** The paths the image's COPY and ADD steps filled, oldest first, in classic and BuildKit history forms. */
export function findFilledPaths(image: ImageHistory): FilledPath[] {
  const steps = image.steps.map(instructionOf);
  // Without WORKDIR steps (a squashed or imported base), the config's is the best guess.
  let workdir: string | undefined = steps.some((s) => /^WORKDIR\s/.test(s)) ? '/' : image.workingDir || '/';
  const filled: FilledPath[] = [];
  for (const step of steps) {
    const workdirArg = /^WORKDIR\s+(.+)$/.exec(step)?.[1]?.trim();
    if (workdirArg !== undefined) {
      workdir = workdirArg.includes('$') || workdir === undefined ? undefined : posix.resolve(workdir, workdirArg);
      continue;
    }
    const copy = parseCopy(step);
    if (copy === undefined || copy.destination.includes('$')) continue;
    const relative = !copy.destination.startsWith('/');
    if (relative && workdir === undefined) continue;
    const path = posix.resolve(relative ? (workdir ?? '/') : '/', copy.destination);
    // ADD of a root file system (every base image's first step) says nothing about one directory.
    if (path === '/') continue;
    filled.push({ path, directory: copy.directory, step: shortenStep(step) });
  }
  return filled;
}

/** The images to read: those of services with a bind mount (none at all means no engine call). */
export function imagesBehindBindMounts(project: Project): string[] {
  const services = Object.values(project.services).filter((s) => s.mounts.some(isHidingCandidate));
  return [...new Set(services.map((s) => s.image))];
}

/**
 * A hint for each bind mount that lands on or above a path its service's image filled, unless the
 * image declares a VOLUME there (then something is meant to be mounted). `images` holds only
 * images present on the engine; a service whose image is missing gets no hint.
 */
export function findHiddenImagePaths(project: Project, sources: readonly SourceFile[], images: ReadonlyMap<string, ImageHistory>): Hint[] {
  const locator = createValueLocator(sources);
  const hints: Hint[] = [];
  for (const service of Object.values(project.services)) {
    const image = images.get(service.image);
    if (image === undefined) continue;
    const filled = findFilledPaths(image);
    service.mounts.forEach((mount, i) => {
      if (!isHidingCandidate(mount)) return;
      const target = posix.normalize(mount.target).replace(/(.)\/$/, '$1');
      if (image.volumes.some((v) => isAtOrBelow(target, posix.normalize(v)))) return;
      const hidden = filled.find((f) => (f.directory && f.path === target) || (f.path !== target && isAtOrBelow(f.path, target)));
      if (hidden === undefined) return;
      const where = hidden.path === target ? target : `${hidden.path} (under ${target})`;
      hints.push({
        ...locator.issue(['services', service.name, 'volumes', i],
          `service "${service.name}" bind-mounts ${mount.source ?? 'a host path'} over ${target}, hiding the files image "${service.image}" put at ${where} (${hidden.step})`),
        code: 'bind-hides-image',
        hint: `use a named volume (a new one starts with the image's files), mount a subdirectory, or remove the bind mount if the image's files are the ones you want`,
      });
    });
  }
  return hints;
}

function isHidingCandidate(mount: Mount): boolean {
  return mount.type === 'bind' && mount.target !== '/' && mount.target !== '';
}

function isAtOrBelow(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`);
}

/** '/bin/sh -c #(nop) COPY dir:… in /app ' and 'COPY . /app # buildkit' → the instruction alone. */
function instructionOf(createdBy: string): string {
  return createdBy.trim().replace(/^\/bin\/sh -c\s+#\(nop\)\s*/, '').replace(/\s+# buildkit$/, '').trim();
}

interface CopyStep {
  readonly destination: string;
  readonly directory: boolean;
}

function parseCopy(step: string): CopyStep | undefined {
  const match = /^(?:COPY|ADD)\s+(.*)$/s.exec(step);
  if (match === null) return undefined;
  const args = (match[1] ?? '').replace(/^(?:--\S+\s+)*/, '');
  // Classic builder: 'file:<hash> in /dst', 'dir:<hash> in /dst', 'multi:<hash> in /dst'.
  const classic = /^(file|dir|multi):\S+\s+in\s+(\S+)$/.exec(args);
  if (classic !== null) {
    const destination = classic[2] ?? '';
    return { destination, directory: classic[1] !== 'file' || endsAsDirectory(destination) };
  }
  const words = splitArguments(args);
  if (words === undefined || words.length < 2) return undefined;
  const destination = words[words.length - 1] ?? '';
  const sources = words.slice(0, -1);
  const directory = sources.length > 1 || endsAsDirectory(destination) || !looksLikeFile(sources[0] ?? '');
  return { destination, directory };
}

/** BuildKit keeps the instruction's words: JSON form or whitespace-separated. Heredocs are skipped. */
function splitArguments(args: string): string[] | undefined {
  if (args.includes('<<')) return undefined;
  if (args.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(args);
      return Array.isArray(parsed) && parsed.every((w): w is string => typeof w === 'string') ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return args.split(/\s+/).filter((w) => w !== '');
}

function endsAsDirectory(destination: string): boolean {
  return destination.endsWith('/') || destination === '.' || destination.endsWith('/.');
}

/** 'nginx.conf' probably is one file; '.', 'src', 'dist/' and '*.json' probably are not. */
function looksLikeFile(source: string): boolean {
  if (/[*?[]/.test(source) || source.endsWith('/')) return false;
  const base = posix.basename(source);
  return base !== '.' && base !== '..' && base.includes('.');
}

/** Hashes cut to 12 characters, so a message stays one line. */
function shortenStep(step: string): string {
  return step.replace(/\b(file|dir|multi):([0-9a-f]{12})[0-9a-f]+/g, '$1:$2').replace(/\s+/g, ' ');
}
