import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { formatPlan, planUp } from '../../src/plan/plan.js';
import { planRunPrerequisites, prepareRunService, type RunServiceOptions } from '../../src/plan/run-service.js';
import { buildObserved } from '../support/observed-builder.js';
import { buildProject } from '../support/project-builder.js';

const SLUG = '0123456789ab'.padEnd(64, 'c');

const project = buildProject({
  name: 'demo',
  services: {
    db: {},
    web: {
      command: ['httpd', '-f'],
      environment: { KEEP: 'yes', DROP: 'x' },
      ports: [{ target: 80, published: '8080', protocol: 'tcp', mode: 'ingress' }],
      restart: 'always',
      containerName: 'fixed-web',
      dependsOn: ['db'],
    },
  },
  volumes: { data: {} },
});

function options(overrides: Partial<RunServiceOptions> = {}): RunServiceOptions {
  return { command: [], env: [], hostEnv: {}, volumes: [], publish: [], servicePorts: false, labels: [], tty: false, interactive: true, slug: SLUG, homeDir: '/home/me', ...overrides };
}

describe('prepareRunService', () => {
  it('names the one-off <project>-<service>-run-<12 hex of the slug>, ignoring container_name', () => {
    expect(prepareRunService(project, 'web', options()).name).toBe('demo-web-run-0123456789ab');
    expect(prepareRunService(project, 'web', options({ name: 'mine' })).name).toBe('mine');
  });

  it('publishes no port of the service unless --service-ports, and adds -p ports', () => {
    expect(prepareRunService(project, 'web', options()).service.ports).toEqual([]);
    expect(prepareRunService(project, 'web', options({ servicePorts: true })).service.ports).toEqual([{ target: 80, published: '8080', protocol: 'tcp', mode: 'ingress' }]);
    expect(prepareRunService(project, 'web', options({ publish: ['127.0.0.1:18081:81/udp'] })).service.ports).toEqual([
      { target: 81, published: '18081', hostIp: '127.0.0.1', protocol: 'udp', mode: 'ingress' },
    ]);
  });

  it('drops the restart policy and applies tty and stdin', () => {
    const { service } = prepareRunService(project, 'web', options({ tty: true, interactive: false }));
    expect(service.restart).toBeUndefined();
    expect(service.tty).toBe(true);
    expect(service.stdinOpen).toBe(false);
  });

  it('replaces the command; --entrypoint without a command clears it', () => {
    expect(prepareRunService(project, 'web', options({ command: ['echo', 'hi'] })).service.command).toEqual(['echo', 'hi']);
    expect(prepareRunService(project, 'web', options()).service.command).toEqual(['httpd', '-f']);
    const entry = prepareRunService(project, 'web', options({ entrypoint: ['sh', '-c'] })).service;
    expect(entry.entrypoint).toEqual(['sh', '-c']);
    expect(entry.command).toBeNull();
  });

  it('sets -e KEY=VALUE, passes -e KEY from the host, and drops it when the host has none', () => {
    const { service } = prepareRunService(project, 'web', options({ env: ['A=1', 'HOSTVAR', 'DROP', 'EMPTY='], hostEnv: { HOSTVAR: 'h' } }));
    expect(service.environment).toEqual({ KEEP: 'yes', A: '1', HOSTVAR: 'h', EMPTY: '' });
  });

  it('mounts -v binds relative to the project directory and named volumes by name', () => {
    const prepared = prepareRunService(project, 'web', options({ volumes: ['./src:/app:ro', 'data:/data', 'other:/other'] }));
    expect(prepared.service.mounts).toEqual([
      { type: 'bind', source: `${project.workingDir}/src`, target: '/app', readOnly: true, bind: { createHostPath: true } },
      { type: 'volume', source: 'data', target: '/data', readOnly: false, volume: { nocopy: false } },
      { type: 'volume', source: 'other', target: '/other', readOnly: false, volume: { nocopy: false } },
    ]);
    // A volume the file does not declare is used by its own name, as an external one.
    expect(prepared.project.volumes.other).toMatchObject({ name: 'other', external: true });
    expect(prepared.project.volumes.data).toEqual(project.volumes.data);
  });

  it('overrides user, working directory and labels', () => {
    const { service } = prepareRunService(project, 'web', options({ user: 'nobody', workingDir: '/tmp', labels: ['a=b', 'flag'] }));
    expect(service).toMatchObject({ user: 'nobody', workingDir: '/tmp', labels: { a: 'b', flag: '' } });
  });

  it('adds --cap-add and --cap-drop to the service\'s own, the command line winning over the file', () => {
    const capable = buildProject({ name: 'demo', services: { tool: { capAdd: ['SYS_TIME', 'NET_RAW'], capDrop: ['MKNOD', 'cap_net_admin'] } } });
    const { service } = prepareRunService(capable, 'tool', options({ capAdd: ['NET_ADMIN', 'sys_time'], capDrop: ['CAP_NET_RAW', 'CHOWN'] }));
    // NET_ADMIN leaves cap_drop (any case, CAP_ prefix or not); NET_RAW leaves cap_add; SYS_TIME is not doubled.
    expect(service.capAdd).toEqual(['SYS_TIME', 'NET_ADMIN']);
    expect(service.capDrop).toEqual(['MKNOD', 'CAP_NET_RAW', 'CHOWN']);
    const untouched = prepareRunService(capable, 'tool', options()).service;
    expect([untouched.capAdd, untouched.capDrop]).toEqual([['SYS_TIME', 'NET_RAW'], ['MKNOD', 'cap_net_admin']]);
  });

  it('rejects bad -p, -v and -e values and unknown services', () => {
    expect(() => prepareRunService(project, 'web', options({ publish: ['99999:80'] }))).toThrow(UsageError);
    expect(() => prepareRunService(project, 'web', options({ volumes: ['relative:path'] }))).toThrow(/must be absolute/);
    expect(() => prepareRunService(project, 'web', options({ env: ['=x'] }))).toThrow(/KEY=VALUE/);
    expect(() => prepareRunService(project, 'nope', options())).toThrow(/no such service: nope/);
  });
});

describe('planRunPrerequisites', () => {
  const stack = buildProject({
    services: {
      db: { healthcheck: { test: ['CMD', 'true'], disable: false } },
      web: { image: 'web-image', dependsOn: [{ service: 'db', condition: 'service_healthy' }] },
    },
  });
  const present = new Set(['busybox']);

  it('keeps the dependencies, the network, the image and the wait, but not the service\'s own container', () => {
    const plan = planRunPrerequisites(planUp(stack, buildObserved(stack), { services: ['db', 'web'], imagesPresent: present }), 'web');
    expect(formatPlan(plan)).toBe([
      'createNetwork network:demo_default (not found)',
      'pullImage image:web-image (missing)',
      'createContainer container:demo-db-1 (not found)',
      '  after: createNetwork network:demo_default',
      'startContainer container:demo-db-1 (not found)',
      '  after: createContainer container:demo-db-1',
      'awaitCondition service:db service_healthy (depends_on)',
      '  after: startContainer container:demo-db-1',
    ].join('\n'));
  });

  it('leaves the service\'s running container alone, even when its config changed', () => {
    const observed = buildObserved(stack, { containers: [{ service: 'db' }, { service: 'web', hash: 'old' }], networks: ['default'] });
    const plan = planRunPrerequisites(planUp(stack, observed, { services: ['db', 'web'], imagesPresent: new Set(['busybox', 'web-image']) }), 'web');
    // The recreate `up` would do is dropped; the wait it would need stays, for the one-off.
    expect(formatPlan(plan)).toBe([
      'keepContainer container:demo-db-1 (running)',
      'awaitCondition service:db service_healthy (depends_on)',
      '  after: keepContainer container:demo-db-1',
    ].join('\n'));
  });

  it('with --no-deps, plans only the service\'s own network and image', () => {
    const plan = planRunPrerequisites(planUp(stack, buildObserved(stack), { services: ['web'], noDeps: true, imagesPresent: present }), 'web');
    expect(formatPlan(plan)).toBe(['createNetwork network:demo_default (not found)', 'pullImage image:web-image (missing)'].join('\n'));
  });
});
