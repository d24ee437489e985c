// `ports:` short syntax ("127.0.0.1:8000-8001:80-81/udp") → one long-syntax entry per container
// port, split the way docker's port-spec parser does, with every bad number reported, not guessed.
import { isIP } from 'node:net';
import type { Tree } from './tree.js';

export type PortResult = { readonly entries: Tree[] } | { readonly error: string };

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

interface Range {
  readonly start: number;
  readonly end: number;
}

/** One short-syntax port (string or number) → long entries `{mode, host_ip?, target, published?, protocol}`. */
export function parsePortSpec(spec: string | number): PortResult {
  const text = String(spec).trim();
  const slash = text.lastIndexOf('/');
  const protocol = slash < 0 ? 'tcp' : text.slice(slash + 1).toLowerCase();
  if (!PROTOCOLS.has(protocol)) return { error: `invalid protocol "${text.slice(slash + 1)}" in port "${text}"; use tcp, udp or sctp` };
  const parts = (slash < 0 ? text : text.slice(0, slash)).split(':');
  const split = splitParts(parts);
  const hostIp = split.ip.replace(/^\[(.*)\]$/, '$1');
  if (hostIp !== '' && isIP(hostIp) === 0) return { error: `invalid host IP "${split.ip}" in port "${text}"` };
  const container = parseRange(split.container, 1);
  if (typeof container === 'string') return { error: `invalid container port "${split.container}" in "${text}": ${container}` };
  const host = split.host === '' ? undefined : parseRange(split.host, 0);
  if (typeof host === 'string') return { error: `invalid host port "${split.host}" in "${text}": ${host}` };
  const count = container.end - container.start + 1;
  if (host !== undefined && count > 1 && host.end - host.start + 1 !== count) {
    return { error: `port "${text}" maps ${host.end - host.start + 1} host port(s) to ${count} container ports; the ranges must have the same length` };
  }
  return { entries: expand({ container, host, hostText: split.host, hostIp, protocol }) };
}

/** docker's split: the last part is the container port, the one before the host port, the rest the IP. */
function splitParts(parts: readonly string[]): { ip: string; host: string; container: string } {
  const n = parts.length;
  const container = parts[n - 1] ?? '';
  if (n === 1) return { ip: '', host: '', container };
  if (n === 2) return { ip: '', host: parts[0] ?? '', container };
  return { ip: parts.slice(0, n - 2).join(':'), host: parts[n - 2] ?? '', container };
}

function parseRange(text: string, min: number): Range | string {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!match) return text === '' ? 'a port number is required' : 'expected a port number (1-65535) or a range like 8000-8010';
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  for (const port of [start, end]) {
    if (port < min || port > 65535) return `${port} is not a valid port number (${min}-65535)`;
  }
  if (end < start) return `the range ends (${end}) before it starts (${start})`;
  return { start, end };
}

/** One entry per container port, ascending, as compose expands ranges. */
function expand(spec: { container: Range; host: Range | undefined; hostText: string; hostIp: string; protocol: string }): Tree[] {
  const { container, host } = spec;
  const count = container.end - container.start + 1;
  const entries: Tree[] = [];
  for (let i = 0; i < count; i++) {
    entries.push(longEntry({ hostIp: spec.hostIp, target: container.start + i, published: publishedFor(host, spec.hostText, count, i), protocol: spec.protocol }));
  }
  return entries;
}

/** A host range with one container port stays a range (the engine picks one of them). */
function publishedFor(host: Range | undefined, hostText: string, count: number, i: number): string | undefined {
  if (host === undefined) return undefined;
  if (count === 1) return host.start === host.end ? String(host.start) : hostText;
  return String(host.start + i);
}

function longEntry(p: { hostIp: string; target: number; published: string | undefined; protocol: string }): Tree {
  return {
    mode: 'ingress',
    ...(p.hostIp ? { host_ip: p.hostIp } : {}),
    target: p.target,
    ...(p.published === undefined ? {} : { published: p.published }),
    protocol: p.protocol,
  };
}

/** The long syntax with compose's defaults filled in and numbers/strings in their canonical types. */
export function canonicalLongPort(entry: Tree): PortResult {
  const target = typeof entry.target === 'string' ? Number(entry.target) : entry.target;
  if (typeof target !== 'number' || !Number.isInteger(target) || target < 1 || target > 65535) {
    return { error: `invalid target port ${JSON.stringify(entry.target)}: expected a number from 1 to 65535` };
  }
  const protocol = typeof entry.protocol === 'string' ? entry.protocol.toLowerCase() : 'tcp';
  if (!PROTOCOLS.has(protocol)) return { error: `invalid protocol "${String(entry.protocol)}"; use tcp, udp or sctp` };
  const published = entry.published === undefined || entry.published === null || entry.published === '' ? undefined : String(entry.published);
  if (published !== undefined && typeof parseRange(published, 0) === 'string') {
    return { error: `invalid published port "${published}": expected a port number (0-65535) or a range` };
  }
  const { mode, host_ip: hostIp, target: _t, published: _p, protocol: _pr, ...rest } = entry;
  if (typeof hostIp === 'string' && hostIp !== '' && isIP(hostIp.replace(/^\[(.*)\]$/, '$1')) === 0) {
    return { error: `invalid host_ip "${hostIp}": expected an IP address to publish on, like 127.0.0.1 or ::1` };
  }
  return {
    entries: [{
      mode: typeof mode === 'string' ? mode : 'ingress',
      ...(typeof hostIp === 'string' && hostIp !== '' ? { host_ip: hostIp } : {}),
      target,
      ...(published === undefined ? {} : { published }),
      protocol,
      ...rest,
    }],
  };
}
