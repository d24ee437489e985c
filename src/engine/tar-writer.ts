// The tar format a build context travels in: POSIX ustar headers, with PAX records for what
// ustar cannot hold (long or non-ASCII names and link targets, sizes over 8 GiB), as Go writes them.

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'fifo';

export interface TarHeader {
  /** '/'-separated, relative; a directory's trailing '/' is added here. */
  readonly name: string;
  readonly type: TarEntryType;
  /** Permission bits with setuid/setgid/sticky (0o7777). */
  readonly mode: number;
  /** Content bytes that follow (files only). */
  readonly size: number;
  /** Modification time, whole seconds since the epoch. */
  readonly mtime: number;
  /** A symlink's target. */
  readonly linkname?: string;
  /** Owner ids; @default 0 (root), as the Docker CLI sends every build context. */
  readonly uid?: number;
  readonly gid?: number;
}

export const BLOCK_SIZE = 512;
/** Two zero blocks close an archive. */
export const END_OF_ARCHIVE: Buffer = Buffer.alloc(2 * BLOCK_SIZE);

const TYPE_FLAG: Record<TarEntryType, string> = { file: '0', directory: '5', symlink: '2', fifo: '6' };
const MAX_OCTAL_SIZE = 0o77777777777;

/** The header block(s) for one entry: a PAX header first when ustar fields cannot hold it. */
export function encodeHeader(header: TarHeader): Buffer {
  const name = header.type === 'directory' && !header.name.endsWith('/') ? `${header.name}/` : header.name;
  const pax: [string, string][] = [];
  const split = splitName(name);
  if (split === undefined) pax.push(['path', name]);
  const linkname = header.linkname ?? '';
  if (!fitsField(linkname, 100)) pax.push(['linkpath', linkname]);
  const size = header.type === 'file' ? header.size : 0;
  if (size > MAX_OCTAL_SIZE) pax.push(['size', String(size)]);
  const block = encodeUstar({
    name: split?.name ?? asciiFallback(name, 100),
    prefix: split?.prefix ?? '',
    mode: header.mode & 0o7777,
    size: size > MAX_OCTAL_SIZE ? 0 : size,
    mtime: Math.max(0, Math.floor(header.mtime)),
    typeflag: TYPE_FLAG[header.type],
    linkname: fitsField(linkname, 100) ? linkname : asciiFallback(linkname, 100),
    uid: header.uid,
    gid: header.gid,
  });
  if (pax.length === 0) return block;
  const records = Buffer.from(pax.map(([key, value]) => paxRecord(key, value)).join(''), 'utf8');
  const paxHeader = encodeUstar({
    name: asciiFallback(`PaxHeaders.0/${basename(name)}`, 100),
    prefix: '',
    mode: 0o644,
    size: records.length,
    mtime: Math.max(0, Math.floor(header.mtime)),
    typeflag: 'x',
    linkname: '',
  });
  return Buffer.concat([paxHeader, records, padding(records.length), block]);
}

/** Zero bytes that fill the last content block of an entry of `size` bytes. */
export function padding(size: number): Buffer {
  const rest = size % BLOCK_SIZE;
  return rest === 0 ? Buffer.alloc(0) : Buffer.alloc(BLOCK_SIZE - rest);
}

interface UstarFields {
  readonly name: string;
  readonly prefix: string;
  readonly mode: number;
  readonly size: number;
  readonly mtime: number;
  readonly typeflag: string;
  readonly linkname: string;
  readonly uid?: number;
  readonly gid?: number;
}

function encodeUstar(f: UstarFields): Buffer {
  const block = Buffer.alloc(BLOCK_SIZE);
  block.write(f.name, 0, 100, 'utf8');
  writeOctal(block, f.mode, 100, 8);
  writeOctal(block, f.uid ?? 0, 108, 8);
  writeOctal(block, f.gid ?? 0, 116, 8);
  writeOctal(block, f.size, 124, 12);
  writeOctal(block, f.mtime, 136, 12);
  block.write(f.typeflag, 156, 1, 'ascii');
  block.write(f.linkname, 157, 100, 'utf8');
  block.write('ustar\u000000', 257, 8, 'ascii');
  writeOctal(block, 0, 329, 8); // devmajor
  writeOctal(block, 0, 337, 8); // devminor
  block.write(f.prefix, 345, 155, 'utf8');
  // The checksum is computed with its own field read as eight spaces.
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return block;
}

/** Octal digits, zero-padded, NUL-terminated, filling `length` bytes. */
function writeOctal(block: Buffer, value: number, offset: number, length: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'ascii');
}

/** ustar holds a name as prefix (≤155 bytes) + '/' + name (≤100 bytes), ASCII only. */
function splitName(name: string): { name: string; prefix: string } | undefined {
  if (!isAscii(name)) return undefined;
  if (name.length <= 100) return { name, prefix: '' };
  // A directory's trailing '/' belongs to the name part, so search before it.
  for (let cut = name.lastIndexOf('/', name.length - 2); cut > 0; cut = name.lastIndexOf('/', cut - 1)) {
    const prefix = name.slice(0, cut);
    const rest = name.slice(cut + 1);
    if (prefix.length <= 155 && rest.length <= 100 && rest !== '') return { name: rest, prefix };
  }
  return undefined;
}

function fitsField(value: string, length: number): boolean {
  return isAscii(value) && value.length <= length;
}

/** What readers without PAX support see: the ASCII characters that fit. */
function asciiFallback(value: string, length: number): string {
  return value.replace(/[^\x20-\x7e]/g, '_').slice(0, length);
}

function isAscii(value: string): boolean {
  return /^[\x01-\x7f]*$/.test(value);
}

function basename(name: string): string {
  const trimmed = name.endsWith('/') ? name.slice(0, -1) : name;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** `"%d key=value\n"`, where the leading length counts the whole record, itself included. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLength = Buffer.byteLength(body, 'utf8');
  let length = bodyLength + String(bodyLength).length;
  if (String(length).length + bodyLength !== length) length = bodyLength + String(length).length;
  return `${length}${body}`;
}
