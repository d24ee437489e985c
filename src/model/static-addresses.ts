// Static container addresses (services.*.networks.*.ipv4_address / ipv6_address) checked against
// the subnets the merged model declares: the engine refuses a mismatch only when the container is
// connected, with a message that names neither the service nor the field.
import type { ConfigIssue } from '../errors.js';
import { parseIp, parseSubnet, subnetContains, type IpAddress, type Subnet } from './ip-addresses.js';
import type { ModelLocator } from './origins.js';
import { asList, asRecord, type Tree } from './tree.js';

const FIELDS = [['ipv4_address', 4], ['ipv6_address', 6]] as const;

export function checkStaticAddresses(tree: Tree, locator: ModelLocator): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const networks = asRecord(tree.networks);
  /** network key → `family:value` of an address → the service that took it first. */
  const taken = new Map<string, Map<string, string>>();
  /** network key → its subnets, read once and only for networks given a static address. */
  const declaredOf = new Map<string, Declared>();
  for (const [name, service] of Object.entries(asRecord(tree.services))) {
    const replicas = asRecord(asRecord(service).deploy).replicas ?? asRecord(service).scale;
    for (const [key, raw] of Object.entries(asRecord(asRecord(service).networks))) {
      const network = networks[key];
      // Undeclared networks are reported elsewhere; an external one's subnets are not in the file.
      if (network === undefined || asRecord(network).external === true) continue;
      for (const [field, family] of FIELDS) {
        const text = asRecord(raw)[field];
        const ip = typeof text === 'string' ? parseIp(text) : undefined;
        // A malformed address was reported where it is written (canonical stage).
        if (ip === undefined || ip.family !== family || typeof text !== 'string') continue;
        const at = (message: string, hint: string): void => void issues.push(locator.issue(['services', name, 'networks', key, field], message, { hint }));
        const declared = declaredOf.get(key) ?? declaredSubnets(asRecord(network));
        declaredOf.set(key, declared);
        const problem = findProblem({ ip, text, key, subnets: declared.subnets.filter((s) => s.family === family), gateways: declared.gateways });
        if (problem !== undefined) at(`service "${name}": ${field} ${text} ${problem.message}`, problem.hint);
        if (typeof replicas === 'number' && replicas > 1) at(`service "${name}" asks for ${replicas} replicas but gives ${field} ${text}`, 'a static address allows only one container; remove it or the scale');
        const owners = taken.get(key) ?? new Map<string, string>();
        taken.set(key, owners);
        // Keyed by family too: 0.0.0.5 and ::5 have the same value.
        const address = `${family}:${ip.value}`;
        const owner = owners.get(address);
        if (owner !== undefined) at(`service "${name}": ${field} ${text} is already given to service "${owner}" on network "${key}"`, 'give each service its own address');
        else owners.set(address, name);
      }
    }
  }
  return issues;
}

interface Declared {
  readonly subnets: readonly Subnet[];
  /** `family:value` of each gateway, given or the engine's default. */
  readonly gateways: ReadonlySet<string>;
}

function declaredSubnets(network: Tree): Declared {
  const subnets: Subnet[] = [];
  const gateways = new Set<string>();
  for (const block of asList(asRecord(network.ipam).config)) {
    const { subnet, gateway } = asRecord(block);
    const parsed = typeof subnet === 'string' ? parseSubnet(subnet) : undefined;
    if (parsed !== undefined) subnets.push(parsed);
    const gatewayIp = typeof gateway === 'string' ? parseIp(gateway) : undefined;
    // Without `gateway:` the engine takes the subnet's first host address for it.
    const reserved = gatewayIp?.value ?? (parsed === undefined ? undefined : parsed.base + 1n);
    if (reserved !== undefined && parsed !== undefined) gateways.add(`${parsed.family}:${reserved}`);
  }
  return { subnets, gateways };
}

function findProblem(c: { ip: IpAddress; text: string; key: string; subnets: readonly Subnet[]; gateways: ReadonlySet<string> }): { message: string; hint: string } | undefined {
  const version = `IPv${c.ip.family}`;
  if (c.subnets.length === 0) {
    const example = c.ip.family === 4 ? '172.28.0.0/16' : 'fd00:28::/64';
    return {
      message: `needs a subnet, but network "${c.key}" declares no ${version} subnet`,
      hint: `declare one under networks.${c.key}.ipam.config (e.g. "- subnet: ${example}"), or remove the address and let the engine pick one`,
    };
  }
  const list = c.subnets.map((s) => s.text).join(', ');
  if (!c.subnets.some((s) => subnetContains(s, c.ip))) {
    return { message: `is outside every subnet of network "${c.key}" (${list})`, hint: `choose an address within ${list}, or add a subnet that holds it to networks.${c.key}.ipam.config` };
  }
  if (c.gateways.has(`${c.ip.family}:${c.ip.value}`)) {
    return { message: `is the gateway of network "${c.key}"`, hint: 'the engine keeps the gateway (by default the subnet\'s first address) for itself; choose another address in the subnet' };
  }
  return undefined;
}
