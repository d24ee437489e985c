// What createContainerSpec sends to the engine for each compose attribute: one row per attribute,
// the service stated by its overrides, the expected part of the API create body beside it.
import { describe, expect, it } from 'vitest';
import { createContainerSpec, createNetworkSpec, createVolumeSpec, type ContainerSpecInput } from '../../src/engine/container-spec.js';
import type { Mount, PortMapping } from '../../src/model/types.js';
import { buildProject, volumeMount, type ProjectInput, type ServiceInput } from '../support/project-builder.js';

const SECOND = 1_000_000_000;

function specFor(service: ServiceInput, extra: Partial<ProjectInput> & Partial<Omit<ContainerSpecInput, 'project' | 'service'>> = {}) {
  const { number = 1, configHash = 'hash', oneoff, name, resolveContainer, imageId, ...projectInput } = extra;
  const project = buildProject({ services: { web: service, db: {} }, ...projectInput });
  const web = project.services.web;
  if (web === undefined) throw new Error('no web service');
  return createContainerSpec({ project, service: web, number, configHash, oneoff, name, resolveContainer, imageId });
}

const port = (target: number, rest: Partial<PortMapping> = {}): PortMapping => ({ target, protocol: 'tcp', mode: 'ingress', ...rest });
const bind = (source: string, target: string, rest: Partial<Mount> = {}): Mount => ({ type: 'bind', source, target, readOnly: false, ...rest });

describe('createContainerSpec labels', () => {
  it('sets every compose label exactly, over the service labels', () => {
    const spec = specFor({ labels: { team: 'web', 'com.docker.compose.project': 'spoofed' }, dependsOn: ['db', { service: 'cache', condition: 'service_healthy', restart: true }] }, { number: 2, configHash: 'abc' });
    expect(spec.body.Labels).toEqual({
      team: 'web',
      'com.docker.compose.project': 'demo',
      'com.docker.compose.service': 'web',
      'com.docker.compose.container-number': '2',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.config-hash': 'abc',
      'com.docker.compose.project.working_dir': '/work/demo',
      'com.docker.compose.project.config_files': '/work/demo/compose.yaml',
      'com.docker.compose.depends_on': 'db:service_started:false,cache:service_healthy:true',
      'com.docker.compose.version': '2.24.0',
      'com.docker.compose.image': 'busybox',
      'dev.gantry.config': expect.stringContaining('"image":"busybox"'),
    });
  });

  it('marks one-off containers, takes the given name and image id, and gives them no service alias', () => {
    const spec = specFor({}, { oneoff: true, name: 'demo-web-run-1a2b', imageId: 'sha256:feed' });
    expect(spec.name).toBe('demo-web-run-1a2b');
    expect(spec.body.Labels).toMatchObject({ 'com.docker.compose.oneoff': 'True', 'com.docker.compose.image': 'sha256:feed' });
    expect(spec.body.NetworkingConfig).toEqual({ EndpointsConfig: { demo_default: {} } });
  });
});

describe('createContainerSpec names', () => {
  it.each([
    ['<project>-<service>-<n> by default', {}, 3, 'demo-web-3'],
    ['container_name when set', { containerName: 'my-web' }, 1, 'my-web'],
  ])('%s', (_title, service: ServiceInput, number, expected) => {
    expect(specFor(service, { number }).name).toBe(expected);
  });
});

describe('createContainerSpec body fields', () => {
  it.each<[string, ServiceInput, Record<string, unknown>]>([
    ['image, command and entrypoint', { image: 'app:1', command: ['sleep', '60'], entrypoint: ['/init'] }, { Image: 'app:1', Cmd: ['sleep', '60'], Entrypoint: ['/init'] }],
    ['environment sorted, null values omitted', { environment: { ZED: '1', ALPHA: 'a=b', UNSET: null, EMPTY: '' } }, { Env: ['ALPHA=a=b', 'EMPTY=', 'ZED=1'] }],
    ['process settings', { workingDir: '/app', user: '1000:1000', hostname: 'web', domainname: 'example.org', tty: true, stdinOpen: true }, { WorkingDir: '/app', User: '1000:1000', Hostname: 'web', Domainname: 'example.org', Tty: true, OpenStdin: true }],
    ['stop signal and grace period in whole seconds (rounded up)', { stopSignal: 'SIGINT', stopGracePeriod: 1.5 * SECOND }, { StopSignal: 'SIGINT', StopTimeout: 2 }],
    ['healthcheck durations in nanoseconds', { healthcheck: { test: ['CMD', 'true'], interval: SECOND, timeout: 2 * SECOND, startPeriod: 3 * SECOND, retries: 4, disable: false } }, { Healthcheck: { Test: ['CMD', 'true'], Interval: SECOND, Timeout: 2 * SECOND, StartPeriod: 3 * SECOND, Retries: 4 } }],
    ['disabled healthcheck', { healthcheck: { test: ['CMD', 'true'], disable: true } }, { Healthcheck: { Test: ['NONE'] } }],
    ['ports and expose become exposed ports', { ports: [port(80), port(53, { protocol: 'udp' })], expose: ['3000', '4000-4001/udp'] }, { ExposedPorts: { '80/tcp': {}, '53/udp': {}, '3000/tcp': {}, '4000/udp': {}, '4001/udp': {} } }],
  ])('%s', (_title, service, expected) => {
    expect(specFor(service).body).toMatchObject(expected);
  });
});

it('leaves Cmd out for a null command, so the image default applies', () => {
  expect(specFor({ command: null }).body).not.toHaveProperty('Cmd');
});

it('sends an empty entrypoint, which clears the image\'s, and leaves an unset one out', () => {
  expect(specFor({ entrypoint: [] }).body.Entrypoint).toEqual([]);
  expect(specFor({ entrypoint: null }).body).not.toHaveProperty('Entrypoint');
  expect(specFor({}).body).not.toHaveProperty('Entrypoint');
});

describe('createContainerSpec HostConfig', () => {
  it.each<[string, ServiceInput, Record<string, unknown>]>([
    ['published, host ip, range and ephemeral ports', { ports: [port(80, { published: '8080', hostIp: '127.0.0.1' }), port(80, { published: '8081' }), port(443, { published: '9000-9010' }), port(53, { protocol: 'udp' })] }, {
      PortBindings: {
        '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }, { HostIp: '', HostPort: '8081' }],
        '443/tcp': [{ HostIp: '', HostPort: '9000-9010' }],
        '53/udp': [{ HostIp: '', HostPort: '' }],
      },
    }],
    ['restart policies', { restart: 'on-failure:3' }, { RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 } }],
    ['flags', { init: true, privileged: true, readOnly: true }, { Init: true, Privileged: true, ReadonlyRootfs: true }],
    ['capabilities, dns and hosts', { capAdd: ['NET_ADMIN'], capDrop: ['ALL'], dns: ['1.1.1.1'], dnsSearch: ['example.org'], dnsOpt: ['ndots:1'], extraHosts: ['db:10.0.0.2', 'cache=10.0.0.3'] }, {
      CapAdd: ['NET_ADMIN'], CapDrop: ['ALL'], Dns: ['1.1.1.1'], DnsSearch: ['example.org'], DnsOptions: ['ndots:1'], ExtraHosts: ['db:10.0.0.2', 'cache:10.0.0.3'],
    }],
    ['resources', { resources: { cpus: 0.5, memory: 64 * 2 ** 20, memoryReservation: 32 * 2 ** 20, pids: 100 }, shmSize: 2 ** 20 }, { NanoCpus: 500_000_000, Memory: 64 * 2 ** 20, MemoryReservation: 32 * 2 ** 20, PidsLimit: 100, ShmSize: 2 ** 20 }],
    ['kernel settings', { ulimits: { nproc: { soft: 10, hard: 20 }, nofile: { soft: 100, hard: 200 } }, sysctls: { 'net.core.somaxconn': '1024' }, tmpfs: ['/run:size=1m', '/tmp'] }, {
      Ulimits: [{ Name: 'nofile', Soft: 100, Hard: 200 }, { Name: 'nproc', Soft: 10, Hard: 20 }], Sysctls: { 'net.core.somaxconn': '1024' }, Tmpfs: { '/run': 'size=1m', '/tmp': '' },
    }],
    ['logging', { logging: { driver: 'json-file', options: { 'max-size': '1m' } } }, { LogConfig: { Type: 'json-file', Config: { 'max-size': '1m' } } }],
    ['devices', { devices: ['/dev/fuse', '/dev/sda:/dev/xvda:r', '/dev/null:rw'] }, {
      Devices: [
        { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' },
        { PathOnHost: '/dev/sda', PathInContainer: '/dev/xvda', CgroupPermissions: 'r' },
        { PathOnHost: '/dev/null', PathInContainer: '/dev/null', CgroupPermissions: 'rw' },
      ],
    }],
    ['namespaces and security', { ipc: 'shareable', pid: 'host', securityOpt: ['no-new-privileges'], groupAdd: ['audio'], oomScoreAdj: 500, cgroupParent: 'gantry' }, {
      IpcMode: 'shareable', PidMode: 'host', SecurityOpt: ['no-new-privileges'], GroupAdd: ['audio'], OomScoreAdj: 500, CgroupParent: 'gantry',
    }],
    ['volumes_from a service, a container, read-only', { volumesFrom: ['db', 'container:legacy', 'db:ro'] }, { VolumesFrom: ['demo-db-1', 'legacy', 'demo-db-1:ro'] }],
    ['network_mode host', { networkMode: 'host' }, { NetworkMode: 'host' }],
    ['network_mode of another service', { networkMode: 'service:db' }, { NetworkMode: 'container:demo-db-1' }],
  ])('%s', (_title, service, expected) => {
    expect(specFor(service).body.HostConfig).toMatchObject(expected);
  });

  it('omits settings the service leaves unset', () => {
    expect(specFor({}).body.HostConfig).toEqual({ NetworkMode: 'demo_default' });
  });

  it('asks the caller which container a service: reference means', () => {
    const spec = specFor({ networkMode: 'service:db', volumesFrom: ['db'] }, { resolveContainer: (service) => `id-of-${service}` });
    expect(spec.body.HostConfig).toMatchObject({ NetworkMode: 'container:id-of-db', VolumesFrom: ['id-of-db'] });
    expect(spec.body.NetworkingConfig).toBeUndefined();
    expect(spec.extraNetworks).toEqual([]);
  });
});

describe('createContainerSpec mounts', () => {
  it.each<[string, Mount, Record<string, unknown>]>([
    ['a named volume by its engine name', volumeMount('data', '/data'), { Mounts: [{ Type: 'volume', Source: 'demo_data', Target: '/data' }] }],
    ['a volume with its own name, read-only, nocopy', { ...volumeMount('named', '/n'), readOnly: true, volume: { nocopy: true } }, { Mounts: [{ Type: 'volume', Source: 'shared-data', Target: '/n', ReadOnly: true, VolumeOptions: { NoCopy: true } }] }],
    ['an anonymous volume without a source', { type: 'volume', target: '/cache', readOnly: false }, { Mounts: [{ Type: 'volume', Target: '/cache' }] }],
    ['a bind that must exist, read-only with propagation', bind('/srv/conf', '/conf', { readOnly: true, bind: { createHostPath: false, propagation: 'rslave' } }), { Mounts: [{ Type: 'bind', Source: '/srv/conf', Target: '/conf', ReadOnly: true, BindOptions: { Propagation: 'rslave' } }] }],
    ['a bind that creates its host path', bind('/srv/data', '/data', { readOnly: true, bind: { createHostPath: true } }), { Binds: ['/srv/data:/data:ro'] }],
    ['a bind with an SELinux label', bind('/srv/x', '/x', { bind: { createHostPath: false, selinux: 'z' } }), { Binds: ['/srv/x:/x:z'] }],
    ['a tmpfs with size and mode', { type: 'tmpfs', target: '/scratch', readOnly: false, tmpfs: { size: 1024, mode: 0o1777 } }, { Mounts: [{ Type: 'tmpfs', Target: '/scratch', TmpfsOptions: { SizeBytes: 1024, Mode: 0o1777 } }] }],
  ])('%s', (_title, mount, expected) => {
    const spec = specFor({ mounts: [mount] }, { volumes: { data: {}, named: { name: 'shared-data' } } });
    expect(spec.body.HostConfig).toMatchObject(expected);
  });

  it('mounts file secrets under /run/secrets and file configs at their target, read-only', () => {
    const project = buildProject({ services: { web: { secrets: [{ source: 'token', target: 'token' }], configs: [{ source: 'conf', target: '/etc/app.conf' }] } } });
    const withFiles = {
      ...project,
      secrets: { token: { key: 'token', name: 'demo_token', file: '/work/demo/token.txt', external: false } },
      configs: { conf: { key: 'conf', name: 'demo_conf', file: '/work/demo/app.conf', external: false } },
    };
    const web = withFiles.services.web;
    if (web === undefined) throw new Error('no web service');
    const spec = createContainerSpec({ project: withFiles, service: web, number: 1, configHash: 'h' });
    expect(spec.body.HostConfig).toMatchObject({
      Mounts: [
        { Type: 'bind', Source: '/work/demo/token.txt', Target: '/run/secrets/token', ReadOnly: true },
        { Type: 'bind', Source: '/work/demo/app.conf', Target: '/etc/app.conf', ReadOnly: true },
      ],
    });
  });
});

describe('createContainerSpec networks', () => {
  it('creates with the highest-priority network and connects the rest afterwards', () => {
    const spec = specFor({
      networks: {
        back: { aliases: ['api'], ipv4Address: '172.30.0.10' },
        front: { priority: 10, aliases: ['www', 'web'] },
        ext: {},
      },
    }, { networks: { ext: { name: 'shared' } } });
    expect(spec.body.HostConfig).toMatchObject({ NetworkMode: 'demo_front' });
    expect(spec.body.NetworkingConfig).toEqual({ EndpointsConfig: { demo_front: { Aliases: ['web', 'www'] } } });
    expect(spec.extraNetworks).toEqual([
      { name: 'demo_back', aliases: ['web', 'api'], ipv4Address: '172.30.0.10', ipv6Address: undefined },
      { name: 'shared', aliases: ['web'], ipv4Address: undefined, ipv6Address: undefined },
    ]);
  });

  it('gives a static address to the create-time network through IPAMConfig', () => {
    const spec = specFor({ networks: { default: { ipv4Address: '172.30.0.5', ipv6Address: 'fd00::5' } } });
    expect(spec.body.NetworkingConfig).toEqual({ EndpointsConfig: { demo_default: { Aliases: ['web'], IPAMConfig: { IPv4Address: '172.30.0.5', IPv6Address: 'fd00::5' } } } });
  });
});

describe('createNetworkSpec and createVolumeSpec', () => {
  const project = buildProject({
    services: {},
    networks: { back: { driver: 'bridge', internal: true, labels: { tier: 'back' }, ipam: { config: [{ subnet: '172.30.0.0/16', auxAddresses: {} }], options: {} } } },
    volumes: { data: { labels: { keep: 'yes' }, driverOpts: { type: 'tmpfs' } } },
  });

  it('labels a network with its project and key', () => {
    const network = project.networks.back;
    if (network === undefined) throw new Error('no network');
    expect(createNetworkSpec(project, network)).toEqual({
      name: 'demo_back',
      driver: 'bridge',
      driverOpts: {},
      labels: { tier: 'back', 'com.docker.compose.project': 'demo', 'com.docker.compose.network': 'back', 'com.docker.compose.version': '2.24.0' },
      internal: true,
      attachable: false,
      enableIpv6: false,
      ipam: { config: [{ subnet: '172.30.0.0/16', auxAddresses: {} }], options: {} },
    });
  });

  it('labels a volume with its project and key', () => {
    const volume = project.volumes.data;
    if (volume === undefined) throw new Error('no volume');
    expect(createVolumeSpec(project, volume)).toEqual({
      name: 'demo_data',
      driver: undefined,
      driverOpts: { type: 'tmpfs' },
      labels: { keep: 'yes', 'com.docker.compose.project': 'demo', 'com.docker.compose.volume': 'data', 'com.docker.compose.version': '2.24.0' },
    });
  });
});
