// PURE: turns a Service into the Engine API (v1.41) create body, so the IO side only sends it.
// Docker vocabulary (PascalCase, HostConfig) lives here and in docker-engine.ts, nowhere else.
import type { ContainerSpec, NetworkSpec, VolumeSpec } from './engine.js';
import type { Mount, Network, PortMapping, Project, Service, Volume } from '../model/types.js';
import { COMPOSE_VERSION_LABEL, LABEL, containerName, scopedName } from '../plan/labels.js';
import { RECORDED_CONFIG_LABEL, recordConfig } from '../plan/recorded-config.js';

type Body = Record<string, unknown>;

export interface ContainerSpecInput {
  readonly project: Project;
  readonly service: Service;
  /** The container's number within its service (1-based). */
  readonly number: number;
  readonly configHash: string;
  /** A one-off (`run`) container: labelled oneoff=True, joins networks without service aliases. */
  readonly oneoff?: boolean;
  /** A one-off that answers for the service's name and aliases all the same (`run --use-aliases`). */
  readonly useAliases?: boolean;
  /** Overrides the container name (`container_name` or `<project>-<service>-<n>` by default). */
  readonly name?: string;
  /**
   * The container (id or name) that `service:NAME` refers to in network_mode and volumes_from.
   * @default the target service's first container name
   */
  readonly resolveContainer?: (service: string) => string;
  /** Image ID for the com.docker.compose.image label (compose stores the digest); @default service.image */
  readonly imageId?: string;
  /** target → anonymous volume of the container this one replaces, mounted again (see plan-up.ts). */
  readonly inheritVolumes?: Readonly<Record<string, string>>;
  /** The image's VOLUME paths: inherited volumes at targets the service does not mount are kept only there. */
  readonly imageVolumes?: readonly string[];
  /**
   * Network name → id to join by (NetworkMode keeps the name, so inspect reads as usual): a name
   * two networks share for a moment (a concurrent `up` on engine 20.10) is ambiguous, an id never.
   */
  readonly networkIds?: Readonly<Record<string, string>>;
}

interface Attachment {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly ipv4Address?: string;
  readonly ipv6Address?: string;
  readonly linkLocalIps: readonly string[];
}

export function createContainerSpec(input: ContainerSpecInput): ContainerSpec {
  const { project, service } = input;
  const name = input.name ?? nameOf(project, service, input.number);
  const attachments = service.networkMode === undefined ? attachmentsOf(project, service, input.oneoff === true && input.useAliases !== true) : [];
  const [primary, ...rest] = attachments;
  const idOf = (network: string): string | undefined => input.networkIds?.[network];
  const body: Body = {
    ...createConfig(input),
    HostConfig: createHostConfig(input, primary),
    ...(primary === undefined ? {} : { NetworkingConfig: { EndpointsConfig: { [idOf(primary.name) ?? primary.name]: createEndpoint(primary) } } }),
  };
  const extraNetworks = rest.map((a) => {
    const id = idOf(a.name);
    return { name: a.name, ...(id === undefined ? {} : { id }), aliases: a.aliases, ipv4Address: a.ipv4Address, ipv6Address: a.ipv6Address };
  });
  return { name, body, extraNetworks };
}

export function createNetworkSpec(project: Project, network: Network): NetworkSpec {
  return {
    name: network.name,
    driver: network.driver,
    driverOpts: network.driverOpts,
    labels: { ...network.labels, [LABEL.project]: project.name, [LABEL.network]: network.key, [LABEL.version]: COMPOSE_VERSION_LABEL },
    internal: network.internal,
    attachable: network.attachable,
    enableIpv6: network.enableIpv6,
    ipam: network.ipam,
  };
}

export function createVolumeSpec(project: Project, volume: Volume): VolumeSpec {
  return {
    name: volume.name,
    driver: volume.driver,
    driverOpts: volume.driverOpts,
    labels: { ...volume.labels, [LABEL.project]: project.name, [LABEL.volume]: volume.key, [LABEL.version]: COMPOSE_VERSION_LABEL },
  };
}

function nameOf(project: Project, service: Service, number: number): string {
  return service.containerName ?? containerName(project.name, service.name, number);
}

function createConfig(input: ContainerSpecInput): Body {
  const { service } = input;
  return {
    ...createProcessConfig(input),
    // Kept even when empty: only a present, empty Entrypoint clears the image's ENTRYPOINT
    // (`entrypoint: []` or `""`); an absent one keeps it.
    ...(Array.isArray(service.entrypoint) ? { Entrypoint: service.entrypoint } : {}),
  };
}

function createProcessConfig(input: ContainerSpecInput): Body {
  const { service } = input;
  return compact({
    Image: service.image,
    Cmd: service.command ?? undefined,
    Env: Object.entries(service.environment)
      .filter((entry): entry is [string, string] => entry[1] !== null)
      .map(([key, value]) => `${key}=${value}`)
      .sort(),
    WorkingDir: service.workingDir,
    User: service.user,
    Hostname: service.hostname,
    Domainname: service.domainname,
    MacAddress: service.macAddress,
    Labels: createLabels(input),
    ExposedPorts: createExposedPorts(service),
    Tty: service.tty,
    OpenStdin: service.stdinOpen,
    StopSignal: service.stopSignal,
    // Rounded up: a 500ms grace period must not become an immediate kill.
    StopTimeout: service.stopGracePeriod === undefined ? undefined : Math.ceil(service.stopGracePeriod / 1e9),
    Healthcheck: createHealthcheck(service),
  });
}

function createLabels(input: ContainerSpecInput): Record<string, string> {
  const { project, service } = input;
  return {
    ...service.labels,
    [LABEL.project]: project.name,
    [LABEL.service]: service.name,
    [LABEL.containerNumber]: String(input.number),
    [LABEL.oneoff]: input.oneoff === true ? 'True' : 'False',
    [LABEL.configHash]: input.configHash,
    [LABEL.workingDir]: project.workingDir,
    [LABEL.configFiles]: project.configFiles.join(','),
    [LABEL.dependsOn]: service.dependsOn.map((d) => `${d.service}:${d.condition}:${String(d.restart)}`).join(','),
    [LABEL.version]: COMPOSE_VERSION_LABEL,
    [LABEL.image]: input.imageId ?? service.image,
    // What the hash covers, so `gantry plan` can show which fields changed (see recorded-config.ts).
    [RECORDED_CONFIG_LABEL]: recordConfig(service, project),
  };
}

function createExposedPorts(service: Service): Record<string, object> {
  const keys = service.ports.map(portKey);
  for (const entry of service.expose) {
    const [range = '', protocol = 'tcp'] = entry.split('/');
    const [from, to = from] = range.split('-').map(Number);
    if (from === undefined || to === undefined || Number.isNaN(from) || Number.isNaN(to)) continue;
    for (let port = from; port <= to; port++) keys.push(`${port}/${protocol}`);
  }
  return Object.fromEntries(keys.map((key) => [key, {}]));
}

function portKey(port: PortMapping): string {
  return `${port.target}/${port.protocol}`;
}

function createHealthcheck(service: Service): Body | undefined {
  const check = service.healthcheck;
  if (check === undefined) return undefined;
  if (check.disable) return { Test: ['NONE'] };
  return compact({ Test: check.test, Interval: check.interval, Timeout: check.timeout, StartPeriod: check.startPeriod, Retries: check.retries });
}

function createHostConfig(input: ContainerSpecInput, primary: Attachment | undefined): Body {
  const { service } = input;
  const resolve = input.resolveContainer ?? ((target: string) => defaultContainer(input.project, target));
  const { mounts, binds } = createMounts(input);
  return compact({
    Binds: binds,
    Mounts: mounts,
    PortBindings: createPortBindings(service.ports),
    NetworkMode: networkModeOf(service, primary, resolve),
    RestartPolicy: createRestartPolicy(service.restart),
    VolumesFrom: service.volumesFrom.map((entry) => volumesFromOf(entry, resolve)),
    Init: service.init,
    Privileged: service.privileged || undefined,
    ReadonlyRootfs: service.readOnly || undefined,
    CapAdd: service.capAdd,
    CapDrop: service.capDrop,
    Dns: service.dns,
    DnsSearch: service.dnsSearch,
    DnsOptions: service.dnsOpt,
    ExtraHosts: service.extraHosts.map((entry) => (entry.includes('=') ? entry.replace('=', ':') : entry)),
    Tmpfs: Object.fromEntries(service.tmpfs.map(splitTmpfs)),
    Ulimits: Object.entries(service.ulimits).sort(([a], [b]) => (a < b ? -1 : 1)).map(([Name, u]) => ({ Name, Soft: u.soft, Hard: u.hard })),
    Sysctls: service.sysctls,
    ShmSize: service.shmSize,
    LogConfig: service.logging === undefined ? undefined : { Type: service.logging.driver ?? '', Config: service.logging.options },
    SecurityOpt: service.securityOpt,
    GroupAdd: service.groupAdd,
    Devices: service.devices.map(parseDevice),
    IpcMode: service.ipc,
    PidMode: service.pid,
    CgroupParent: service.cgroupParent,
    Isolation: service.isolation,
    StorageOpt: service.storageOpt,
    ...createResources(service),
  });
}

function createResources(service: Service): Body {
  const { cpus, memory, memoryReservation, pids } = service.resources;
  return {
    Memory: memory,
    MemoryReservation: memoryReservation,
    MemorySwap: service.memswapLimit,
    MemorySwappiness: service.memSwappiness,
    NanoCpus: cpus === undefined ? undefined : Math.round(cpus * 1e9),
    CpuShares: service.cpuShares,
    CpusetCpus: service.cpuset,
    PidsLimit: pids ?? service.pidsLimit,
    OomKillDisable: service.oomKillDisable,
    OomScoreAdj: service.oomScoreAdj,
  };
}

function defaultContainer(project: Project, service: string): string {
  const target = project.services[service];
  return target?.containerName ?? containerName(project.name, service, 1);
}

function networkModeOf(service: Service, primary: Attachment | undefined, resolve: (s: string) => string): string | undefined {
  const mode = service.networkMode;
  if (mode?.startsWith('service:')) return `container:${resolve(mode.slice('service:'.length))}`;
  return mode ?? primary?.name;
}

function volumesFromOf(entry: string, resolve: (s: string) => string): string {
  if (entry.startsWith('container:')) return entry.slice('container:'.length);
  const [service = '', mode] = entry.split(':');
  return mode === undefined ? resolve(service) : `${resolve(service)}:${mode}`;
}

function createRestartPolicy(restart: string | undefined): Body | undefined {
  if (restart === undefined) return undefined;
  const [name = 'no', retries] = restart.split(':');
  return compact({ Name: name, MaximumRetryCount: retries === undefined ? undefined : Number(retries) });
}

function splitTmpfs(entry: string): [string, string] {
  const colon = entry.indexOf(':');
  return colon < 0 ? [entry, ''] : [entry.slice(0, colon), entry.slice(colon + 1)];
}

function parseDevice(entry: string): Body {
  const parts = entry.split(':');
  const host = parts[0] ?? '';
  // "host:rwm" names permissions, not a container path (as the docker CLI reads it).
  const second = parts[1];
  const isPermissions = parts.length === 2 && second !== undefined && /^[rwm]+$/.test(second);
  return {
    PathOnHost: host,
    PathInContainer: isPermissions ? host : (second ?? host),
    CgroupPermissions: isPermissions ? second : (parts[2] ?? 'rwm'),
  };
}

function createPortBindings(ports: readonly PortMapping[]): Record<string, Body[]> {
  const bindings: Record<string, Body[]> = {};
  for (const port of ports) {
    // An absent published port asks the engine for an ephemeral one (HostPort "").
    const binding = { HostIp: port.hostIp ?? '', HostPort: port.published ?? '' };
    (bindings[portKey(port)] ??= []).push(binding);
  }
  return bindings;
}

function createMounts(input: ContainerSpecInput): { mounts: Body[]; binds: string[] } {
  const { project, service } = input;
  const inherit = input.inheritVolumes ?? {};
  const mounts: Body[] = [];
  const binds: string[] = [];
  for (const mount of service.mounts) {
    // Mounts refuses a missing bind source; Binds creates it (create_host_path) and takes SELinux labels.
    if (mount.type === 'bind' && (mount.bind?.createHostPath === true || mount.bind?.selinux !== undefined)) binds.push(createBind(mount));
    else mounts.push(createMount(project, mount, inheritedSource(inherit, mount)));
  }
  const mounted = new Set(service.mounts.map((m) => trimSlash(m.target)));
  const imageVolumes = new Set((input.imageVolumes ?? []).map(trimSlash));
  for (const [target, name] of Object.entries(inherit).sort(([a], [b]) => (a < b ? -1 : 1))) {
    // An image VOLUME's anonymous volume: the engine would otherwise make a fresh, empty one.
    if (!mounted.has(target) && imageVolumes.has(target)) mounts.push({ Type: 'volume', Source: name, Target: target });
  }
  mounts.push(...fileMounts(project, service));
  return { mounts, binds };
}

/** The predecessor's volume for an anonymous volume mount at the same target. */
function inheritedSource(inherit: Readonly<Record<string, string>>, mount: Mount): string | undefined {
  return mount.type === 'volume' && mount.source === undefined ? inherit[trimSlash(mount.target)] : undefined;
}

function trimSlash(target: string): string {
  return target.length > 1 ? target.replace(/\/+$/, '') : target;
}

function createBind(mount: Mount): string {
  const options = [mount.readOnly ? 'ro' : undefined, mount.bind?.propagation, mount.bind?.selinux].filter((o) => o !== undefined);
  return `${mount.source ?? ''}:${mount.target}${options.length > 0 ? `:${options.join(',')}` : ''}`;
}

function createMount(project: Project, mount: Mount, inherited?: string): Body {
  const base = { Type: mount.type, Target: mount.target, ReadOnly: mount.readOnly || undefined, Consistency: mount.consistency };
  switch (mount.type) {
    case 'volume':
      return compact({
        ...base,
        // Anonymous volumes have no Source (the engine names them) unless inherited from a predecessor.
        Source: mount.source === undefined ? inherited : (project.volumes[mount.source]?.name ?? scopedName(project.name, mount.source)),
        VolumeOptions: mount.volume?.nocopy === true ? { NoCopy: true } : undefined,
      });
    case 'bind':
      return compact({ ...base, Source: mount.source, BindOptions: mount.bind?.propagation === undefined ? undefined : { Propagation: mount.bind.propagation } });
    case 'tmpfs':
      return compact({ ...base, TmpfsOptions: mount.tmpfs === undefined ? undefined : compact({ SizeBytes: mount.tmpfs.size, Mode: mount.tmpfs.mode }) });
    default:
      return compact({ ...base, Source: mount.source });
  }
}

/** File-based secrets and configs become read-only bind mounts; other kinds need copying after create. */
function fileMounts(project: Project, service: Service): Body[] {
  const refs = [
    ...service.secrets.map((ref) => ({ ref, file: project.secrets[ref.source]?.file, dir: '/run/secrets/' })),
    ...service.configs.map((ref) => ({ ref, file: project.configs[ref.source]?.file, dir: '/' })),
  ];
  return refs
    .filter((r): r is typeof r & { file: string } => r.file !== undefined)
    .map(({ ref, file, dir }) => ({
      Type: 'bind',
      Source: file,
      Target: ref.target.startsWith('/') ? ref.target : `${dir}${ref.target || ref.source}`,
      ReadOnly: true,
    }));
}

function attachmentsOf(project: Project, service: Service, oneoff: boolean): Attachment[] {
  return Object.entries(service.networks)
    .sort(([keyA, a], [keyB, b]) => b.priority - a.priority || (keyA < keyB ? -1 : keyA > keyB ? 1 : 0))
    .map(([key, network]) => ({
      name: project.networks[key]?.name ?? scopedName(project.name, key),
      // One-off containers must not answer for the service's name (compose does the same).
      aliases: oneoff ? [] : [...new Set([service.name, ...network.aliases])],
      ipv4Address: network.ipv4Address,
      ipv6Address: network.ipv6Address,
      linkLocalIps: network.linkLocalIps,
    }));
}

function createEndpoint(attachment: Attachment): Body {
  const ipam = compact({ IPv4Address: attachment.ipv4Address, IPv6Address: attachment.ipv6Address, LinkLocalIPs: attachment.linkLocalIps });
  return compact({ Aliases: attachment.aliases, IPAMConfig: Object.keys(ipam).length > 0 ? ipam : undefined });
}

/** Drops undefined, empty arrays and empty objects: the engine reads them as "not set" anyway. */
function compact(body: Body): Body {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => !isEmpty(value)));
}

function isEmpty(value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}
