// The IP fields of one file checked where they are written (static addresses, IPAM blocks, dns,
// extra_hosts), so a typo is located at its line instead of coming back from the engine later.
import type { FieldPath } from './field-path.js';
import { parseIp, parseSubnet, subnetContains, subnetWithin, type IpFamily, type Subnet } from './ip-addresses.js';
import { isRecord } from './tree.js';

/** A problem under the checked node: `sub` continues its path (a list index, a key). */
export interface AddressProblem {
  readonly message: string;
  readonly sub: FieldPath;
  readonly hint: string;
}

const EXAMPLE: Record<IpFamily, string> = { 4: '172.28.0.10', 6: 'fd00:28::10' };

/** `ipv4_address` / `ipv6_address` of a service's network: one address of that family. */
export function checkStaticAddress(field: 'ipv4_address' | 'ipv6_address', value: unknown): AddressProblem[] {
  if (typeof value !== 'string' || value === '') return [];
  const family: IpFamily = field === 'ipv4_address' ? 4 : 6;
  const ip = parseIp(value);
  if (ip?.family === family) return [];
  const other = field === 'ipv4_address' ? 'ipv6_address' : 'ipv4_address';
  const hint = ip === undefined ? `write one IPv${family} address, e.g. ${EXAMPLE[family]}` : `this is an IPv${ip.family} address: put it under ${other}`;
  return [{ message: `invalid ${field} "${value}": expected an IPv${family} address like ${EXAMPLE[family]}`, sub: [], hint }];
}

/** `link_local_ips`: each an address of either family. */
export function checkAddressList(field: string, value: unknown): AddressProblem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item, i) => {
    const text = String(item);
    return parseIp(text) === undefined ? [{ message: `invalid ${field} entry "${text}": expected an IP address like 8.8.8.8 or 2001:4860:4860::8888`, sub: [i], hint: 'write an IP address, not a host name' }] : [];
  });
}

/** `dns`: a string or a list of server addresses (the engine takes no names there). */
export function checkDnsServers(value: unknown): AddressProblem[] {
  if (typeof value === 'string') return checkAddressList('dns', [value]).map((p) => ({ ...p, sub: [] }));
  return checkAddressList('dns', value);
}

export interface ExtraHost {
  readonly host: string;
  /** Undefined for a list item with neither '=' nor ':'. */
  readonly ip: string | undefined;
  /** Where the entry is, under extra_hosts: a list index, a host, or a host and an index. */
  readonly sub: FieldPath;
}

/**
 * `extra_hosts` in any of its forms, one entry per IP: a mapping of host → IP or list of IPs, or a
 * list of `host=IP` (or the older `host:IP`). Undefined when the value is neither.
 */
export function extraHostEntries(value: unknown): ExtraHost[] | undefined {
  if (isRecord(value)) {
    return Object.entries(value).flatMap(([host, ips]): ExtraHost[] => (Array.isArray(ips)
      ? ips.map((ip, i) => ({ host, ip: String(ip), sub: [host, i] }))
      : [{ host, ip: String(ips), sub: [host] }]));
  }
  if (!Array.isArray(value)) return undefined;
  return value.map((item, i): ExtraHost => {
    const text = String(item);
    const eq = text.indexOf('=');
    const cut = eq >= 0 ? eq : text.indexOf(':');
    return cut < 0 ? { host: text, ip: undefined, sub: [i] } : { host: text.slice(0, cut), ip: text.slice(cut + 1), sub: [i] };
  });
}

/** `extra_hosts` in any of its forms: each IP part is an address or `host-gateway`. */
export function checkExtraHosts(value: unknown): AddressProblem[] {
  return (extraHostEntries(value) ?? []).flatMap(({ host, ip, sub }) => (ip === undefined || ip === 'host-gateway' || parseIp(ip) !== undefined ? [] : [{
    message: `invalid IP address "${ip}" for host "${host}" in extra_hosts`,
    sub,
    hint: `write "${host}=IP" with an IPv4 or IPv6 address (e.g. ${host}=10.0.0.5), or host-gateway for the host's address`,
  }]));
}

/** One `ipam.config` list: a CIDR subnet, and ip_range, gateway and aux_addresses inside it. */
export function checkIpamConfig(value: unknown): AddressProblem[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((block, i) => (isRecord(block) ? checkIpamBlock(block, [i]) : []));
}

function checkIpamBlock(block: Record<string, unknown>, at: FieldPath): AddressProblem[] {
  const problems: AddressProblem[] = [];
  const cidr = (field: string): Subnet | undefined => {
    const text = block[field];
    if (typeof text !== 'string') return undefined;
    const subnet = parseSubnet(text);
    if (subnet === undefined) problems.push({ message: `invalid ${field} "${text}": expected an address range in CIDR form like 172.28.0.0/16`, sub: [...at, field], hint: 'write ADDRESS/PREFIX, e.g. 172.28.0.0/16 or fd00:28::/64' });
    return subnet;
  };
  const subnet = cidr('subnet');
  const range = cidr('ip_range');
  if (subnet !== undefined && range !== undefined && !subnetWithin(range, subnet)) {
    problems.push({ message: `ip_range ${range.text} is not inside the subnet ${subnet.text}`, sub: [...at, 'ip_range'], hint: `choose a range within ${subnet.text}` });
  }
  const address = (text: unknown, what: string, sub: FieldPath): void => {
    if (typeof text !== 'string') return;
    const ip = parseIp(text);
    if (ip === undefined) problems.push({ message: `invalid ${what} "${text}": expected an IP address like 172.28.0.1`, sub, hint: 'write one IPv4 or IPv6 address' });
    else if (subnet !== undefined && !subnetContains(subnet, ip)) problems.push({ message: `${what} ${text} is not inside the subnet ${subnet.text}`, sub, hint: `choose an address within ${subnet.text}` });
  };
  address(block.gateway, 'gateway', [...at, 'gateway']);
  if (isRecord(block.aux_addresses)) {
    for (const [host, ip] of Object.entries(block.aux_addresses)) address(ip, `aux_addresses.${host}`, [...at, 'aux_addresses', host]);
  }
  return problems;
}
