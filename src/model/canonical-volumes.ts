// `volumes:` short syntax ("./src:/app:ro,z", "data:/var/lib", "/cache") → the long syntax, with host
// paths made absolute, so merge keys (target) and bind sources mean the same thing in every file.
import { resolveHostPath, type PathContext } from './canonical-paths.js';
import { parseSize } from './canonical-units.js';
import { isRecord, toBoolean, type Tree } from './tree.js';

export type VolumeResult = { readonly entry: Tree } | { readonly error: string };

const PROPAGATION = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);
const CONSISTENCY = new Set(['consistent', 'cached', 'delegated']);

/** Compose's rule: a source that looks like a path is a bind mount; anything else names a volume. */
function isHostPath(source: string): boolean {
  return source.startsWith('.') || source.startsWith('/') || source.startsWith('~');
}

/** One short-syntax volume string → its long form. */
export function parseVolumeSpec(spec: string, ctx: PathContext): VolumeResult {
  const parts = spec.split(':');
  if (parts.length > 3) return { error: `invalid volume "${spec}": expected SOURCE:TARGET[:MODE]` };
  if (parts.some((p) => p === '')) return { error: `invalid volume "${spec}": an empty part between colons` };
  const [first = '', second, mode] = parts;
  const target = second ?? first;
  if (!target.startsWith('/')) return { error: `invalid volume "${spec}": the container path "${target}" must be absolute` };
  if (second === undefined) return { entry: { type: 'volume', target, volume: {} } };
  const bind = isHostPath(first);
  const options = parseModes(mode, bind);
  if (typeof options === 'string') return { error: `invalid volume "${spec}": ${options}` };
  return {
    entry: {
      type: bind ? 'bind' : 'volume',
      source: bind ? resolveHostPath(first, ctx) : first,
      target,
      ...(options.readOnly ? { read_only: true } : {}),
      ...(options.consistency ? { consistency: options.consistency } : {}),
      ...(bind ? { bind: { create_host_path: true, ...options.bind } } : { volume: options.volume }),
    },
  };
}

interface ModeOptions {
  readOnly: boolean;
  consistency?: string;
  bind: Tree;
  volume: Tree;
}

function parseModes(mode: string | undefined, bind: boolean): ModeOptions | string {
  const options: ModeOptions = { readOnly: false, bind: {}, volume: {} };
  for (const option of mode === undefined ? [] : mode.split(',')) {
    if (option === 'ro' || option === 'rw') options.readOnly = option === 'ro';
    else if (option === 'z' || option === 'Z') options.bind.selinux = option;
    else if (option === 'nocopy' && !bind) options.volume.nocopy = true;
    else if (PROPAGATION.has(option) && bind) options.bind.propagation = option;
    else if (CONSISTENCY.has(option)) options.consistency = option;
    else return `unknown mode "${option}" (expected ro, rw, z, Z${bind ? ', a propagation mode' : ', nocopy'})`;
  }
  return options;
}

/** A long-syntax entry with relative bind sources made absolute and string flags/sizes typed. */
export function canonicalLongVolume(input: Tree, ctx: PathContext): VolumeResult {
  const entry: Tree = { ...input };
  if (entry.type === 'bind' && typeof entry.source === 'string') entry.source = resolveHostPath(entry.source, ctx);
  const readOnly = toBoolean(entry.read_only);
  if (readOnly !== undefined) entry.read_only = readOnly;
  if (isRecord(entry.bind)) entry.bind = withBoolean(entry.bind, 'create_host_path');
  if (isRecord(entry.volume)) entry.volume = withBoolean(entry.volume, 'nocopy');
  if (isRecord(entry.tmpfs)) {
    const tmpfs: Tree = { ...entry.tmpfs };
    if (typeof tmpfs.size === 'string' || typeof tmpfs.size === 'number') {
      const size = parseSize(tmpfs.size);
      if (size === undefined) return { error: `invalid tmpfs size ${JSON.stringify(tmpfs.size)}: expected bytes or a size like "64m"` };
      tmpfs.size = size;
    }
    if (typeof tmpfs.mode === 'string' && /^[0-7]+$/.test(tmpfs.mode)) tmpfs.mode = Number.parseInt(tmpfs.mode, 8);
    entry.tmpfs = tmpfs;
  }
  return { entry };
}

function withBoolean(tree: Tree, key: string): Tree {
  const value = toBoolean(tree[key]);
  return value === undefined ? { ...tree } : { ...tree, [key]: value };
}
