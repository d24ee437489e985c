// Specification of the checks on IP fields: each malformed address, subnet or range is an issue at
// its own line and column, naming the field and what would fix it; a static container address
// must lie in a subnet its network declares (the engine would refuse it late, and cryptically).
import { describe, expect, it } from 'vitest';
import type { ConfigIssue } from '../../src/errors.js';
import { canonicalizeTree } from '../../src/model/canonical.js';
import { checkConsistency } from '../../src/model/consistency.js';
import { formatPath } from '../../src/model/field-path.js';
import { parseIp, parseSubnet, subnetContains, subnetWithin } from '../../src/model/ip-addresses.js';
import { createModelLocator } from '../../src/model/origins.js';
import { parseSource } from '../../src/model/source.js';

const FILE = '/project/compose.yaml';

/** Each issue as `line:col path: message`, the way the CLI prints its first line. */
function describeIssues(issues: readonly ConfigIssue[]): string[] {
  return issues.map((i) => `${i.line}:${i.column} ${formatPath(i.path)}: ${i.message}`);
}

function canonicalIssues(yaml: string): ConfigIssue[] {
  const source = parseSource(FILE, yaml);
  return canonicalizeTree(source.tree as Record<string, unknown>, { source, workingDir: '/project', homeDir: '/home/me' }).issues;
}

/** The semantic stage on a file that passed the canonical one. */
function consistencyIssues(yaml: string): ConfigIssue[] {
  const source = parseSource(FILE, yaml);
  const { tree, issues } = canonicalizeTree(source.tree as Record<string, unknown>, { source, workingDir: '/project', homeDir: '/home/me' });
  expect(issues).toEqual([]);
  return checkConsistency(tree, { locator: createModelLocator([source]) }).issues;
}

describe('parseIp and parseSubnet', () => {
  it.each([
    ['10.0.0.1', 4, 0x0a000001n],
    ['[::1]', 6, 1n],
    ['fe80::1%eth0', 6, (0xfe80n << 112n) | 1n],
    ['::ffff:10.0.0.1', 6, (0xffffn << 32n) | 0x0a000001n],
    ['2001:db8::', 6, 0x20010db8n << 96n],
  ])('%s is IPv%i', (text, family, value) => {
    expect(parseIp(text)).toEqual({ family, value });
  });

  it.each(['10.0.0.256', '10.0.0', 'dns.google', '', '1::2::3', '10.0.0.1/24'])('%j is not an address', (text) => {
    expect(parseIp(text)).toBeUndefined();
  });

  it('reads subnets, clears host bits and refuses prefixes wider than the family', () => {
    expect(parseSubnet('172.28.5.1/16')).toEqual({ family: 4, base: 0xac1c0000n, prefix: 16, text: '172.28.5.1/16' });
    expect(parseSubnet('fd00:28::/64')?.prefix).toBe(64);
    for (const bad of ['172.28.0.0/33', '172.28.0.0', '172.28.0.0/', 'fd00::/129', 'x/8']) expect(parseSubnet(bad), bad).toBeUndefined();
  });

  it('tells whether an address or a range lies in a subnet', () => {
    const subnet = parseSubnet('172.28.0.0/16')!;
    expect(subnetContains(subnet, parseIp('172.28.255.254')!)).toBe(true);
    expect(subnetContains(subnet, parseIp('172.29.0.1')!)).toBe(false);
    expect(subnetContains(subnet, parseIp('::ffff:172.28.0.1')!)).toBe(false);
    expect(subnetWithin(parseSubnet('172.28.5.0/24')!, subnet)).toBe(true);
    expect(subnetWithin(parseSubnet('172.0.0.0/8')!, subnet)).toBe(false);
  });
});

describe('malformed IP fields are located where they are written', () => {
  it('static addresses, link-local addresses, dns, extra_hosts and a long-syntax host_ip', () => {
    const issues = canonicalIssues([
      'services:',
      '  web:',
      '    image: busybox',
      '    dns: [8.8.8.8, dns.google]',
      '    extra_hosts: ["db=10.0.0.300", "gw=host-gateway", "v6=[::1]"]',
      '    ports:',
      '      - target: 80',
      '        host_ip: 127.0.0.256',
      '    networks:',
      '      front:',
      '        ipv4_address: 172.28.0.999',
      '        ipv6_address: 172.28.0.9',
      '        link_local_ips: [169.254.1.1, nope]',
      '  api:',
      '    image: busybox',
      '    dns: 1.1.1',
      '    extra_hosts:',
      '      cache: [10.0.0.7, "10.0.0"]',
      '',
    ].join('\n'));
    expect(describeIssues(issues)).toEqual([
      '4:20 services.web.dns[1]: invalid dns entry "dns.google": expected an IP address like 8.8.8.8 or 2001:4860:4860::8888',
      '5:19 services.web.extra_hosts[0]: invalid IP address "10.0.0.300" for host "db" in extra_hosts',
      '7:9 services.web.ports[0]: invalid host_ip "127.0.0.256": expected an IP address to publish on, like 127.0.0.1 or ::1',
      '11:23 services.web.networks.front.ipv4_address: invalid ipv4_address "172.28.0.999": expected an IPv4 address like 172.28.0.10',
      '12:23 services.web.networks.front.ipv6_address: invalid ipv6_address "172.28.0.9": expected an IPv6 address like fd00:28::10',
      '13:39 services.web.networks.front.link_local_ips[1]: invalid link_local_ips entry "nope": expected an IP address like 8.8.8.8 or 2001:4860:4860::8888',
      '16:10 services.api.dns: invalid dns entry "1.1.1": expected an IP address like 8.8.8.8 or 2001:4860:4860::8888',
      '18:25 services.api.extra_hosts.cache[1]: invalid IP address "10.0.0" for host "cache" in extra_hosts',
    ]);
    expect(issues[4]?.hint).toBe('this is an IPv4 address: put it under ipv4_address');
    expect(issues[1]?.hint).toContain('host-gateway');
  });

  it('ipam subnet, ip_range, gateway and aux_addresses: well formed, and inside the subnet', () => {
    const issues = canonicalIssues([
      'services: {}',
      'networks:',
      '  front:',
      '    ipam:',
      '      config:',
      '        - subnet: 172.28.0.0/16',
      '          ip_range: 172.29.0.0/24',
      '          gateway: 10.0.0.1',
      '          aux_addresses:',
      '            host1: 172.28.1.300',
      '            host2: 172.28.1.5',
      '  back:',
      '    ipam:',
      '      config:',
      '        - subnet: 172.30.0.0/33',
      '          ip_range: 172.30.0.0',
      '',
    ].join('\n'));
    expect(describeIssues(issues)).toEqual([
      '7:21 networks.front.ipam.config[0].ip_range: ip_range 172.29.0.0/24 is not inside the subnet 172.28.0.0/16',
      '8:20 networks.front.ipam.config[0].gateway: gateway 10.0.0.1 is not inside the subnet 172.28.0.0/16',
      '10:20 networks.front.ipam.config[0].aux_addresses.host1: invalid aux_addresses.host1 "172.28.1.300": expected an IP address like 172.28.0.1',
      '15:19 networks.back.ipam.config[0].subnet: invalid subnet "172.30.0.0/33": expected an address range in CIDR form like 172.28.0.0/16',
      '16:21 networks.back.ipam.config[0].ip_range: invalid ip_range "172.30.0.0": expected an address range in CIDR form like 172.28.0.0/16',
    ]);
    expect(issues[3]?.hint).toBe('write ADDRESS/PREFIX, e.g. 172.28.0.0/16 or fd00:28::/64');
  });

  it('accepts well-formed fields of both families', () => {
    expect(canonicalIssues([
      'services:',
      '  web:',
      '    image: busybox',
      '    dns: ["8.8.8.8", "2001:4860:4860::8888"]',
      '    extra_hosts: {db: "10.0.0.5", gw: host-gateway, v6: "::1"}',
      '    ports: [{target: 80, host_ip: "::1"}]',
      '    networks:',
      '      front: {ipv4_address: 172.28.0.10, ipv6_address: "fd00:28::10", link_local_ips: [169.254.8.8]}',
      'networks:',
      '  front:',
      '    ipam:',
      '      config:',
      '        - {subnet: 172.28.0.0/16, ip_range: 172.28.5.0/24, gateway: 172.28.5.254, aux_addresses: {a: 172.28.1.5}}',
      '        - {subnet: "fd00:28::/64"}',
      '',
    ].join('\n'))).toEqual([]);
  });
});

describe('static addresses against the subnets of their network', () => {
  const networks = [
    'networks:',
    '  front:',
    '    ipam:',
    '      config:',
    '        - subnet: 172.28.0.0/16',
    '        - subnet: "fd00:28::/64"',
    '  plain: {}',
    '  outside:',
    '    external: true',
  ];

  it('an address outside every subnet, one with no subnet of its family, the gateway and a duplicate', () => {
    const issues = consistencyIssues([
      'services:',
      '  web:',
      '    image: busybox',
      '    networks:',
      '      front: {ipv4_address: 10.1.0.5, ipv6_address: "fd00:99::5"}',
      '      plain:',
      '        ipv4_address: 172.31.0.9',
      '  api:',
      '    image: busybox',
      '    networks:',
      '      front:',
      '        ipv4_address: 172.28.0.1',
      '  db:',
      '    image: busybox',
      '    networks:',
      '      front:',
      '        ipv4_address: 172.28.0.20',
      '  cache:',
      '    image: busybox',
      '    networks:',
      '      front:',
      '        ipv4_address: 172.28.0.20',
      ...networks,
      '',
    ].join('\n'));
    expect(describeIssues(issues)).toEqual([
      '5:29 services.web.networks.front.ipv4_address: service "web": ipv4_address 10.1.0.5 is outside every subnet of network "front" (172.28.0.0/16)',
      '5:53 services.web.networks.front.ipv6_address: service "web": ipv6_address fd00:99::5 is outside every subnet of network "front" (fd00:28::/64)',
      '7:23 services.web.networks.plain.ipv4_address: service "web": ipv4_address 172.31.0.9 needs a subnet, but network "plain" declares no IPv4 subnet',
      '12:23 services.api.networks.front.ipv4_address: service "api": ipv4_address 172.28.0.1 is the gateway of network "front"',
      '22:23 services.cache.networks.front.ipv4_address: service "cache": ipv4_address 172.28.0.20 is already given to service "db" on network "front"',
    ]);
    expect(issues[0]?.hint).toBe('choose an address within 172.28.0.0/16, or add a subnet that holds it to networks.front.ipam.config');
    expect(issues[2]?.hint).toContain('declare one under networks.plain.ipam.config');
  });

  it('a static address on a service that asks for several containers', () => {
    const issues = consistencyIssues([
      'services:',
      '  web:',
      '    image: busybox',
      '    deploy: {replicas: 2}',
      '    networks:',
      '      front: {ipv4_address: 172.28.0.5}',
      ...networks,
      '',
    ].join('\n'));
    expect(describeIssues(issues)).toEqual(['6:29 services.web.networks.front.ipv4_address: service "web" asks for 2 replicas but gives ipv4_address 172.28.0.5']);
  });

  it('does not take an IPv4 and an IPv6 address of the same value for one address', () => {
    expect(consistencyIssues([
      'services:',
      '  web:',
      '    image: busybox',
      '    networks:',
      '      low: {ipv4_address: 0.0.0.5}',
      '  api:',
      '    image: busybox',
      '    networks:',
      '      low: {ipv6_address: "::5"}',
      'networks:',
      '  low:',
      '    ipam:',
      '      config: [{subnet: 0.0.0.0/24}, {subnet: "::/64"}]',
      '',
    ].join('\n'))).toEqual([]);
  });

  it('accepts addresses inside a declared subnet, and any address on an external network', () => {
    expect(consistencyIssues([
      'services:',
      '  web:',
      '    image: busybox',
      '    networks:',
      '      front: {ipv4_address: 172.28.3.4, ipv6_address: "fd00:28::4"}',
      '      outside: {ipv4_address: 10.9.9.9}',
      ...networks,
      '',
    ].join('\n'))).toEqual([]);
  });
});
