// IP addresses and CIDR subnets as the engine reads them, parsed to numbers so a file's static
// addresses can be checked against its own subnets before anything is sent to the engine.
import { isIPv4, isIPv6 } from 'node:net';

export type IpFamily = 4 | 6;

export interface IpAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

export interface Subnet {
  readonly family: IpFamily;
  /** The first address (host bits cleared). */
  readonly base: bigint;
  readonly prefix: number;
  readonly text: string;
}

/** An IPv4 or IPv6 address (brackets and an IPv6 zone allowed); undefined when malformed. */
export function parseIp(text: string): IpAddress | undefined {
  const bare = text.trim().replace(/^\[(.*)\]$/, '$1').replace(/%[^%]*$/, '');
  if (isIPv4(bare)) return { family: 4, value: ipv4Value(bare) };
  if (isIPv6(bare)) return { family: 6, value: ipv6Value(bare) };
  return undefined;
}

/** `ADDRESS/PREFIX`, with the prefix within the family's width; undefined when malformed. */
export function parseSubnet(text: string): Subnet | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text.trim());
  if (!match) return undefined;
  const ip = parseIp(match[1] ?? '');
  const prefix = Number(match[2]);
  if (ip === undefined || prefix > bitsOf(ip.family)) return undefined;
  const hostBits = BigInt(bitsOf(ip.family) - prefix);
  return { family: ip.family, base: (ip.value >> hostBits) << hostBits, prefix, text: text.trim() };
}

export function subnetContains(subnet: Subnet, ip: IpAddress): boolean {
  if (subnet.family !== ip.family) return false;
  const hostBits = BigInt(bitsOf(ip.family) - subnet.prefix);
  return ip.value >> hostBits === subnet.base >> hostBits;
}

/** `inner` lies wholly within `outer`. */
export function subnetWithin(inner: Subnet, outer: Subnet): boolean {
  return inner.prefix >= outer.prefix && subnetContains(outer, { family: inner.family, value: inner.base });
}

function bitsOf(family: IpFamily): number {
  return family === 4 ? 32 : 128;
}

function ipv4Value(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

/** Expands `::` and a trailing dotted IPv4 part into eight 16-bit groups. */
function ipv6Value(text: string): bigint {
  let body = text;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (dotted) {
    const v4 = ipv4Value(dotted[1] ?? '');
    body = `${body.slice(0, dotted.index)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = body.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}
