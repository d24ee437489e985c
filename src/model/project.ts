// toProject(): the one place where the canonical snake_case tree becomes typed, camelCase domain
// objects. The tree has passed the schema and the canonical stage, so narrowing here is shallow.
import { parseDuration } from './canonical.js';
import type {
  Build, Condition, Dependency, FileObject, FileReference, Healthcheck, Mount, MountType, Network, PortMapping,
  Project, Resources, Service, ServiceNetwork, Ulimit, Volume,
} from './types.js';

import { opt } from '../optional.js';
import { asList, asRecord, type Tree } from './tree.js';


export interface ProjectContext {
  readonly workingDir: string;
  readonly configFiles: readonly string[];
  readonly disabledServices: readonly string[];
  /** The interpolation environment: the values of secrets and configs given by `environment:`. */
  readonly lookup?: (name: string) => string | undefined;
}

export function toProject(tree: Tree, ctx: ProjectContext): Project {
  const name = str(tree.name) ?? 'default';
  const services: Record<string, Service> = {};
  for (const [key, raw] of Object.entries(asRecord(tree.services))) services[key] = toService(key, asRecord(raw));
  return {
    name,
    workingDir: ctx.workingDir,
    configFiles: ctx.configFiles,
    services,
    disabledServices: ctx.disabledServices,
    networks: mapValues(asRecord(tree.networks), (key, raw) => toNetwork(key, asRecord(raw))),
    volumes: mapValues(asRecord(tree.volumes), (key, raw) => toVolume(key, asRecord(raw))),
    secrets: mapValues(asRecord(tree.secrets), (key, raw) => toFileObject(key, asRecord(raw), ctx.lookup)),
    configs: mapValues(asRecord(tree.configs), (key, raw) => toFileObject(key, asRecord(raw), ctx.lookup)),
    model: tree,
  };
}

function toService(name: string, s: Tree): Service {
  const deploy = asRecord(s.deploy);
  const replicas = num(deploy.replicas) ?? num(s.scale) ?? 1;
  return {
    name,
    image: str(s.image) ?? name,
    ...opt('build', s.build === undefined ? undefined : toBuild(asRecord(s.build))),
    ...opt('pullPolicy', str(s.pull_policy)),
    ...opt('command', strListOrNull(s.command)),
    ...opt('entrypoint', strListOrNull(s.entrypoint)),
    environment: mapValues(asRecord(s.environment), (_k, v) => (v === null || v === undefined ? null : String(v))),
    ...opt('workingDir', str(s.working_dir)),
    ...opt('user', str(s.user)),
    ...opt('hostname', str(s.hostname)),
    ...opt('domainname', str(s.domainname)),
    ...opt('containerName', str(s.container_name)),
    labels: strMap(s.labels),
    ports: asList(s.ports).map((p) => toPort(asRecord(p))),
    expose: asList(s.expose).map(String),
    mounts: asList(s.volumes).map((m) => toMount(asRecord(m))),
    volumesFrom: asList(s.volumes_from).map(String),
    networks: s.network_mode === undefined ? mapValues(asRecord(s.networks), (_k, v) => toServiceNetwork(asRecord(v))) : {},
    ...opt('networkMode', str(s.network_mode)),
    dependsOn: Object.entries(asRecord(s.depends_on)).map(([service, raw]) => toDependency(service, asRecord(raw))),
    ...opt('healthcheck', s.healthcheck === undefined ? undefined : toHealthcheck(asRecord(s.healthcheck))),
    ...opt('restart', str(s.restart)),
    ...opt('init', bool(s.init)),
    ...opt('stopSignal', str(s.stop_signal)),
    ...opt('stopGracePeriod', duration(s.stop_grace_period)),
    extraHosts: asList(s.extra_hosts).map(String),
    dns: strList(s.dns),
    dnsSearch: strList(s.dns_search),
    dnsOpt: strList(s.dns_opt),
    capAdd: strList(s.cap_add),
    capDrop: strList(s.cap_drop),
    privileged: s.privileged === true,
    readOnly: s.read_only === true,
    tmpfs: strList(s.tmpfs),
    ulimits: mapValues(asRecord(s.ulimits), (_k, v) => toUlimit(v)),
    sysctls: strMap(s.sysctls),
    ...opt('shmSize', num(s.shm_size)),
    resources: toResources(s, deploy),
    ...opt('logging', s.logging === undefined ? undefined : { ...opt('driver', str(asRecord(s.logging).driver)), options: strMap(asRecord(s.logging).options) }),
    tty: s.tty === true,
    stdinOpen: s.stdin_open === true,
    secrets: asList(s.secrets).map((r) => toFileReference(asRecord(r))),
    configs: asList(s.configs).map((r) => toFileReference(asRecord(r))),
    replicas,
    profiles: strList(s.profiles),
    ...opt('platform', str(s.platform)),
    ...opt('ipc', str(s.ipc)),
    ...opt('pid', str(s.pid)),
    groupAdd: asList(s.group_add).map(String),
    devices: asList(s.devices).map((d) => (typeof d === 'string' ? d : `${str(asRecord(d).source) ?? ''}:${str(asRecord(d).target) ?? ''}${str(asRecord(d).permissions) ? `:${str(asRecord(d).permissions)}` : ''}`)),
    securityOpt: strList(s.security_opt),
    ...opt('macAddress', str(s.mac_address)),
    ...opt('cgroupParent', str(s.cgroup_parent)),
    ...opt('isolation', str(s.isolation)),
    storageOpt: strMap(s.storage_opt),
    ...opt('oomScoreAdj', num(s.oom_score_adj)),
    ...opt('oomKillDisable', bool(s.oom_kill_disable)),
    ...opt('memSwappiness', num(s.mem_swappiness)),
    ...opt('memswapLimit', num(s.memswap_limit)),
    ...opt('cpuShares', num(s.cpu_shares)),
    ...opt('cpuset', str(s.cpuset)),
    ...opt('pidsLimit', num(s.pids_limit)),
    attach: s.attach !== false,
  };
}

function toBuild(b: Tree): Build {
  return {
    context: str(b.context) ?? '.',
    ...opt('dockerfile', str(b.dockerfile)),
    ...opt('dockerfileInline', str(b.dockerfile_inline)),
    args: mapValues(asRecord(b.args), (_k, v) => (v === null || v === undefined ? null : String(v))),
    ...opt('target', str(b.target)),
    labels: strMap(b.labels),
    ...opt('network', str(b.network)),
    extraHosts: asList(b.extra_hosts).map(String),
    ...opt('shmSize', num(b.shm_size)),
    cacheFrom: strList(b.cache_from),
    noCache: b.no_cache === true,
    pull: b.pull === true,
    tags: strList(b.tags),
    platforms: strList(b.platforms),
  };
}

function toPort(p: Tree): PortMapping {
  const protocol = str(p.protocol) ?? 'tcp';
  return {
    target: num(p.target) ?? 0,
    ...opt('published', p.published === undefined || p.published === null || p.published === '' ? undefined : String(p.published)),
    ...opt('hostIp', str(p.host_ip)),
    protocol: protocol === 'udp' || protocol === 'sctp' ? protocol : 'tcp',
    mode: p.mode === 'host' ? 'host' : 'ingress',
    ...opt('appProtocol', str(p.app_protocol)),
    ...opt('name', str(p.name)),
  };
}

function toMount(m: Tree): Mount {
  const bind = asRecord(m.bind);
  const volume = asRecord(m.volume);
  const tmpfs = asRecord(m.tmpfs);
  const selinux = str(bind.selinux);
  return {
    type: (str(m.type) ?? 'volume') as MountType,
    ...opt('source', str(m.source)),
    target: str(m.target) ?? '',
    readOnly: m.read_only === true,
    ...opt('consistency', str(m.consistency)),
    ...opt('bind', m.type === 'bind' ? { ...opt('propagation', str(bind.propagation)), createHostPath: bind.create_host_path !== false, ...opt<'selinux', 'z' | 'Z'>('selinux', selinux === 'z' || selinux === 'Z' ? selinux : undefined) } : undefined),
    ...opt('volume', m.volume === undefined ? undefined : { nocopy: volume.nocopy === true, ...opt('subpath', str(volume.subpath)) }),
    ...opt('tmpfs', m.tmpfs === undefined ? undefined : { ...opt('size', num(tmpfs.size)), ...opt('mode', num(tmpfs.mode)) }),
  };
}

function toServiceNetwork(n: Tree): ServiceNetwork {
  return {
    aliases: strList(n.aliases),
    ...opt('ipv4Address', str(n.ipv4_address)),
    ...opt('ipv6Address', str(n.ipv6_address)),
    linkLocalIps: strList(n.link_local_ips),
    ...opt('macAddress', str(n.mac_address)),
    priority: num(n.priority) ?? 0,
  };
}

function toDependency(service: string, d: Tree): Dependency {
  const condition = (str(d.condition) ?? 'service_started') as Condition;
  return { service, condition, restart: d.restart === true, required: d.required !== false };
}

function toHealthcheck(h: Tree): Healthcheck {
  const test = h.test === undefined ? undefined : strList(h.test);
  return {
    ...opt('test', test),
    ...opt('interval', duration(h.interval)),
    ...opt('timeout', duration(h.timeout)),
    ...opt('retries', num(h.retries)),
    ...opt('startPeriod', duration(h.start_period)),
    ...opt('startInterval', duration(h.start_interval)),
    disable: h.disable === true || (test?.[0] === 'NONE'),
  };
}

function toResources(s: Tree, deploy: Tree): Resources {
  const limits = asRecord(asRecord(deploy.resources).limits);
  const reservations = asRecord(asRecord(deploy.resources).reservations);
  const cpus = num(s.cpus) ?? num(limits.cpus);
  return {
    ...opt('cpus', cpus),
    ...opt('memory', num(s.mem_limit) ?? num(limits.memory)),
    ...opt('memoryReservation', num(s.mem_reservation) ?? num(reservations.memory)),
    ...opt('pids', num(limits.pids)),
  };
}

function toUlimit(v: unknown): Ulimit {
  if (typeof v === 'number') return { soft: v, hard: v };
  const u = asRecord(v);
  return { soft: num(u.soft) ?? 0, hard: num(u.hard) ?? 0 };
}

function toFileReference(r: Tree): FileReference {
  return {
    source: str(r.source) ?? '',
    target: str(r.target) ?? '',
    ...opt('uid', str(r.uid)),
    ...opt('gid', str(r.gid)),
    ...opt('mode', num(r.mode)),
  };
}

function toNetwork(key: string, n: Tree): Network {
  const ipam = n.ipam === undefined ? undefined : asRecord(n.ipam);
  return {
    key,
    name: str(n.name) ?? key,
    external: isExternal(n),
    ...opt('driver', str(n.driver)),
    driverOpts: strMap(n.driver_opts),
    ...opt('ipam', ipam === undefined ? undefined : {
      ...opt('driver', str(ipam.driver)),
      config: asList(ipam.config).map((c) => {
        const t = asRecord(c);
        return { ...opt('subnet', str(t.subnet)), ...opt('ipRange', str(t.ip_range)), ...opt('gateway', str(t.gateway)), auxAddresses: strMap(t.aux_addresses) };
      }),
      options: strMap(ipam.options),
    }),
    internal: n.internal === true,
    attachable: n.attachable === true,
    enableIpv6: n.enable_ipv6 === true,
    labels: strMap(n.labels),
  };
}

function toVolume(key: string, v: Tree): Volume {
  return { key, name: str(v.name) ?? key, external: isExternal(v), ...opt('driver', str(v.driver)), driverOpts: strMap(v.driver_opts), labels: strMap(v.labels) };
}

function toFileObject(key: string, f: Tree, lookup: ProjectContext['lookup']): FileObject {
  const environment = str(f.environment);
  const environmentValue = environment === undefined ? undefined : lookup?.(environment);
  return {
    key, name: str(f.name) ?? key, ...opt('file', str(f.file)), ...opt('environment', environment), ...opt('content', str(f.content)),
    ...opt('environmentValue', environmentValue), external: isExternal(f),
  };
}

function isExternal(t: Tree): boolean {
  return t.external === true || (typeof t.external === 'object' && t.external !== null);
}

// Small narrowing helpers: the tree is already schema-valid and canonical.
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}
function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}
function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}
function strList(v: unknown): string[] {
  return typeof v === 'string' ? [v] : asList(v).map(String);
}
function strListOrNull(v: unknown): string[] | null | undefined {
  return v === null ? null : v === undefined ? undefined : strList(v);
}
function strMap(v: unknown): Record<string, string> {
  return mapValues(asRecord(v), (_k, value) => (value === null || value === undefined ? '' : String(value)));
}
function duration(v: unknown): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'string' ? parseDuration(v) : undefined;
}
function mapValues<T>(tree: Tree, fn: (key: string, value: unknown) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(tree)) out[key] = fn(key, value);
  return out;
}
