// Builds complete Project objects for unit tests from a few overrides, so each test states only
// what it is about and the rest takes the defaults the loader would have produced.
import type { Dependency, Mount, Network, Project, Service, ServiceNetwork, Volume } from '../../src/model/types.js';

export type DependencyInput = string | (Partial<Dependency> & { readonly service: string });

export type ServiceInput = Partial<Omit<Service, 'name' | 'dependsOn' | 'networks'>> & {
  readonly dependsOn?: readonly DependencyInput[];
  /** Network keys (default aliases) or full entries; omitted means the `default` network. */
  readonly networks?: readonly string[] | Readonly<Record<string, Partial<ServiceNetwork>>>;
};

export interface ProjectInput {
  readonly name?: string;
  readonly services: Readonly<Record<string, ServiceInput>>;
  readonly networks?: Readonly<Record<string, Partial<Network>>>;
  readonly volumes?: Readonly<Record<string, Partial<Volume>>>;
  readonly disabledServices?: readonly string[];
}

/** Every required Service field with the value the loader gives an unset key. */
export function buildService(name: string, input: ServiceInput = {}): Service {
  const { dependsOn, networks, ...rest } = input;
  return {
    name,
    image: 'busybox',
    environment: {},
    labels: {},
    ports: [],
    expose: [],
    mounts: [],
    volumesFrom: [],
    extraHosts: [],
    dns: [],
    dnsSearch: [],
    dnsOpt: [],
    capAdd: [],
    capDrop: [],
    privileged: false,
    readOnly: false,
    tmpfs: [],
    ulimits: {},
    sysctls: {},
    resources: {},
    tty: false,
    stdinOpen: false,
    secrets: [],
    configs: [],
    replicas: 1,
    profiles: [],
    groupAdd: [],
    devices: [],
    securityOpt: [],
    storageOpt: {},
    attach: true,
    ...rest,
    dependsOn: (dependsOn ?? []).map(buildDependency),
    networks: rest.networkMode === undefined ? buildServiceNetworks(networks ?? ['default']) : {},
  };
}

/** A project named `demo` by default; networks used by services but not declared are added. */
export function buildProject(input: ProjectInput): Project {
  const name = input.name ?? 'demo';
  const services = Object.fromEntries(Object.entries(input.services).map(([key, s]) => [key, buildService(key, s)]));
  const networks: Record<string, Network> = {};
  for (const [key, n] of Object.entries(input.networks ?? {})) networks[key] = buildNetwork(name, key, n);
  for (const service of Object.values(services)) {
    for (const key of Object.keys(service.networks)) networks[key] ??= buildNetwork(name, key, {});
  }
  const volumes: Record<string, Volume> = {};
  for (const [key, v] of Object.entries(input.volumes ?? {})) volumes[key] = buildVolume(name, key, v);
  return {
    name,
    workingDir: `/work/${name}`,
    configFiles: [`/work/${name}/compose.yaml`],
    services,
    disabledServices: input.disabledServices ?? [],
    networks,
    volumes,
    secrets: {},
    configs: {},
    model: {},
  };
}

/** A named-volume mount of the project volume `source` at `target`. */
export function volumeMount(source: string, target: string): Mount {
  return { type: 'volume', source, target, readOnly: false };
}

function buildDependency(input: DependencyInput): Dependency {
  const base = typeof input === 'string' ? { service: input } : input;
  return { condition: 'service_started', restart: false, required: true, ...base };
}

function buildServiceNetworks(input: NonNullable<ServiceInput['networks']>): Record<string, ServiceNetwork> {
  const entries: [string, Partial<ServiceNetwork>][] = Array.isArray(input)
    ? input.map((key: string) => [key, {}])
    : Object.entries(input as Readonly<Record<string, Partial<ServiceNetwork>>>);
  return Object.fromEntries(entries.map(([key, n]) => [key, { aliases: [], linkLocalIps: [], priority: 0, ...n }]));
}

function buildNetwork(project: string, key: string, input: Partial<Network>): Network {
  const external = input.external ?? false;
  return {
    key,
    name: external ? key : `${project}_${key}`,
    external,
    driverOpts: {},
    internal: false,
    attachable: false,
    enableIpv6: false,
    labels: {},
    ...input,
  };
}

function buildVolume(project: string, key: string, input: Partial<Volume>): Volume {
  const external = input.external ?? false;
  return { key, name: external ? key : `${project}_${key}`, external, driverOpts: {}, labels: {}, ...input };
}
