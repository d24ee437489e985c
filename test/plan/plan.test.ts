// Plans compared as text: each test is one situation and the exact operations `up`/`down` plan.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { formatPlan, planDown, planUp, type PlanUpOptions } from '../../src/plan/plan.js';
import { buildObserved } from '../support/observed-builder.js';
import { buildProject, volumeMount } from '../support/project-builder.js';

const lines = (...text: string[]): string => text.join('\n');
const present = new Set(['busybox', 'postgres']);
const up = (options: Partial<PlanUpOptions> = {}): PlanUpOptions => ({ imagesPresent: present, ...options });

/** db (healthchecked, with a volume) ← web (healthy, restart: true) and db ← worker (started). */
const project = buildProject({
  services: {
    db: { image: 'postgres', mounts: [volumeMount('data', '/var/lib/postgresql')], healthcheck: { test: ['CMD', 'true'], disable: false } },
    web: { dependsOn: [{ service: 'db', condition: 'service_healthy', restart: true }] },
    worker: { dependsOn: ['db'] },
  },
  volumes: { data: {} },
});
const everythingRunning = { containers: [{ service: 'db' }, { service: 'web' }, { service: 'worker' }], networks: ['default'], volumes: ['data'] };

describe('planUp', () => {
  it('creates everything on a fresh engine, waiting for db to be healthy before web starts', () => {
    const plan = planUp(project, buildObserved(project), { imagesPresent: new Set(['busybox']) });
    expect(formatPlan(plan)).toBe(lines(
      'createNetwork network:demo_default (not found)',
      'createVolume volume:demo_data (not found)',
      'pullImage image:postgres (missing)',
      'createContainer container:demo-db-1 (not found)',
      '  after: createNetwork network:demo_default, createVolume volume:demo_data, pullImage image:postgres',
      'createContainer container:demo-web-1 (not found)',
      '  after: createNetwork network:demo_default',
      'createContainer container:demo-worker-1 (not found)',
      '  after: createNetwork network:demo_default',
      'startContainer container:demo-db-1 (not found)',
      '  after: createContainer container:demo-db-1',
      'awaitCondition service:db service_healthy (depends_on)',
      '  after: startContainer container:demo-db-1',
      'startContainer container:demo-worker-1 (not found)',
      '  after: createContainer container:demo-worker-1, startContainer container:demo-db-1',
      'startContainer container:demo-web-1 (not found)',
      '  after: awaitCondition service:db service_healthy, createContainer container:demo-web-1',
    ));
  });

  it('keeps everything when all runs with matching hashes', () => {
    const plan = planUp(project, buildObserved(project, everythingRunning), up());
    expect(formatPlan(plan)).toBe(lines(
      'keepContainer container:demo-db-1 (running)',
      'keepContainer container:demo-web-1 (running)',
      'keepContainer container:demo-worker-1 (running)',
    ));
  });

  it('starts a stopped container again without recreating it', () => {
    const observed = buildObserved(project, { ...everythingRunning, containers: [{ service: 'db' }, { service: 'web', state: 'exited' }, { service: 'worker' }] });
    expect(formatPlan(planUp(project, observed, up()))).toContain('startContainer container:demo-web-1 (exited)\n  after: awaitCondition service:db service_healthy');
  });

  it('recreates a changed service and its restart: true dependents, stopping dependents first', () => {
    const observed = buildObserved(project, { ...everythingRunning, containers: [{ service: 'db', hash: 'old' }, { service: 'web' }, { service: 'worker' }] });
    expect(formatPlan(planUp(project, observed, up()))).toBe(lines(
      'keepContainer container:demo-worker-1 (running)',
      'stopContainer container:demo-web-1 (dependency db recreated)',
      'removeContainer container:demo-web-1 (dependency db recreated)',
      '  after: stopContainer container:demo-web-1',
      'stopContainer container:demo-db-1 (config changed)',
      '  after: stopContainer container:demo-web-1',
      'createContainer container:demo-web-1 (dependency db recreated)',
      '  after: removeContainer container:demo-web-1',
      'removeContainer container:demo-db-1 (config changed)',
      '  after: stopContainer container:demo-db-1',
      'createContainer container:demo-db-1 (config changed)',
      '  after: removeContainer container:demo-db-1',
      'startContainer container:demo-db-1 (config changed)',
      '  after: createContainer container:demo-db-1',
      'awaitCondition service:db service_healthy (depends_on)',
      '  after: startContainer container:demo-db-1',
      'startContainer container:demo-web-1 (dependency db recreated)',
      '  after: awaitCondition service:db service_healthy, createContainer container:demo-web-1',
    ));
  });

  it('warns about orphans, and removes them only with removeOrphans', () => {
    const observed = buildObserved(project, { ...everythingRunning, containers: [...everythingRunning.containers, { service: 'old' }] });
    const keep = lines('keepContainer container:demo-db-1 (running)', 'keepContainer container:demo-web-1 (running)', 'keepContainer container:demo-worker-1 (running)');
    expect(formatPlan(planUp(project, observed, up()))).toBe(lines(keep,
      'warning: orphan containers (demo-old-1) belong to services not in the file; --remove-orphans removes them'));
    expect(formatPlan(planUp(project, observed, up({ removeOrphans: true })))).toBe(lines(
      'keepContainer container:demo-db-1 (running)',
      'keepContainer container:demo-web-1 (running)',
      'keepContainer container:demo-worker-1 (running)',
      'stopContainer container:demo-old-1 (orphan)',
      'removeContainer container:demo-old-1 (orphan)',
      '  after: stopContainer container:demo-old-1',
    ));
  });

  it('does not call containers of profile-disabled services orphans', () => {
    const withDisabled = { ...project, disabledServices: ['debug'] };
    const observed = buildObserved(withDisabled, { ...everythingRunning, containers: [...everythingRunning.containers, { service: 'debug' }] });
    expect(planUp(withDisabled, observed, up()).warnings).toEqual([]);
  });

  it('scales up with the lowest free numbers and down from the highest', () => {
    const single = buildProject({ services: { web: {} } });
    const one = buildObserved(single, { containers: [{ service: 'web' }], networks: ['default'] });
    expect(formatPlan(planUp(single, one, up({ scale: { web: 3 } })))).toBe(lines(
      'createContainer container:demo-web-2 (scale up)',
      'createContainer container:demo-web-3 (scale up)',
      'keepContainer container:demo-web-1 (running)',
      'startContainer container:demo-web-2 (scale up)',
      '  after: createContainer container:demo-web-2',
      'startContainer container:demo-web-3 (scale up)',
      '  after: createContainer container:demo-web-3',
    ));
    const three = buildObserved(single, { containers: [1, 2, 3].map((number) => ({ service: 'web', number })), networks: ['default'] });
    expect(formatPlan(planUp(single, three, up({ scale: { web: 1 } })))).toBe(lines(
      'keepContainer container:demo-web-1 (running)',
      'stopContainer container:demo-web-2 (scale down)',
      'stopContainer container:demo-web-3 (scale down)',
      'removeContainer container:demo-web-2 (scale down)',
      '  after: stopContainer container:demo-web-2',
      'removeContainer container:demo-web-3 (scale down)',
      '  after: stopContainer container:demo-web-3',
    ));
  });

  it('limits to named services with their dependencies, or alone with noDeps', () => {
    const fresh = buildObserved(project, { networks: ['default'], volumes: ['data'] });
    const withDeps = formatPlan(planUp(project, fresh, up({ services: ['web'] })));
    expect(withDeps).toContain('createContainer container:demo-db-1');
    expect(withDeps).not.toContain('worker');
    expect(formatPlan(planUp(project, fresh, up({ services: ['web'], noDeps: true })))).toBe(lines(
      'createContainer container:demo-web-1 (not found)',
      'startContainer container:demo-web-1 (not found)',
      '  after: createContainer container:demo-web-1',
    ));
  });

  it('recreates everything with forceRecreate', () => {
    const single = buildProject({ services: { web: {} } });
    const observed = buildObserved(single, { containers: [{ service: 'web' }], networks: ['default'] });
    expect(formatPlan(planUp(single, observed, up({ forceRecreate: true })))).toBe(lines(
      'stopContainer container:demo-web-1 (force recreate)',
      'removeContainer container:demo-web-1 (force recreate)',
      '  after: stopContainer container:demo-web-1',
      'createContainer container:demo-web-1 (force recreate)',
      '  after: removeContainer container:demo-web-1',
      'startContainer container:demo-web-1 (force recreate)',
      '  after: createContainer container:demo-web-1',
    ));
  });

  it('keeps changed containers with noRecreate, and refuses it with forceRecreate', () => {
    const observed = buildObserved(project, { ...everythingRunning, containers: [{ service: 'db', hash: 'old' }, { service: 'web' }, { service: 'worker', hash: 'old' }] });
    expect(formatPlan(planUp(project, observed, up({ noRecreate: true })))).toBe(lines(
      'keepContainer container:demo-db-1 (running)',
      'keepContainer container:demo-web-1 (running)',
      'keepContainer container:demo-worker-1 (running)',
    ));
    expect(() => planUp(project, observed, up({ noRecreate: true, forceRecreate: true }))).toThrow(UsageError);
  });

  describe('when the image a service names now resolves to another id', () => {
    const oldId = `sha256:${'a'.repeat(64)}`;
    const newId = `sha256:${'b'.repeat(64)}`;
    const runningOld = { ...everythingRunning, containers: everythingRunning.containers.map((c) => ({ ...c, imageId: oldId })) };
    const ids = (postgres: string): ReadonlyMap<string, string> => new Map([['busybox', oldId], ['postgres', postgres]]);

    it('recreates that service and its restart: true dependents, saying which ids differ', () => {
      const plan = planUp(project, buildObserved(project, runningOld), up({ imageIds: ids(newId) }));
      const creates = plan.operations.flatMap((op) => (op.kind === 'createContainer' ? [`${op.resource} (${op.cause})`] : []));
      expect(creates).toEqual([
        'container:demo-db-1 (image changed: sha256:aaaaaaaaaaaa… → sha256:bbbbbbbbbbbb…)',
        'container:demo-web-1 (dependency db recreated)',
      ]);
      expect(formatPlan(plan)).toContain('keepContainer container:demo-worker-1 (running)');
    });

    it('keeps containers whose image id matches, or whose image id is not known', () => {
      const keepAll = lines('keepContainer container:demo-db-1 (running)', 'keepContainer container:demo-web-1 (running)', 'keepContainer container:demo-worker-1 (running)');
      expect(formatPlan(planUp(project, buildObserved(project, runningOld), up({ imageIds: ids(oldId) })))).toBe(keepAll);
      expect(formatPlan(planUp(project, buildObserved(project, runningOld), up({ imageIds: new Map([['busybox', oldId]]) })))).toBe(keepAll);
      expect(formatPlan(planUp(project, buildObserved(project, runningOld), up()))).toBe(keepAll);
      // The implicit :latest resolves too.
      expect(formatPlan(planUp(project, buildObserved(project, runningOld), up({ imageIds: new Map([['busybox:latest', oldId], ['postgres:latest', newId]]) }))))
        .toContain('createContainer container:demo-db-1 (image changed: sha256:aaaaaaaaaaaa… → sha256:bbbbbbbbbbbb…)');
    });

    it('keeps them with noRecreate, and names a config change first when both changed', () => {
      expect(planUp(project, buildObserved(project, runningOld), up({ imageIds: ids(newId), noRecreate: true })).operations.map((op) => op.kind))
        .toEqual(['keepContainer', 'keepContainer', 'keepContainer']);
      const changed = { ...runningOld, containers: runningOld.containers.map((c) => (c.service === 'db' ? { ...c, hash: 'old' } : c)) };
      expect(formatPlan(planUp(project, buildObserved(project, changed), up({ imageIds: ids(newId) })))).toContain('createContainer container:demo-db-1 (config changed)');
    });

    it('labels new containers with the image id they are created from', () => {
      const plan = planUp(project, buildObserved(project, runningOld), up({ imageIds: ids(newId) }));
      expect(plan.operations.find((op) => op.id === 'createContainer container:demo-db-1')).toMatchObject({ imageId: newId });
      const fresh = planUp(project, buildObserved(project), up());
      expect(fresh.operations.find((op) => op.id === 'createContainer container:demo-db-1')).not.toHaveProperty('imageId');
    });
  });

  it('checks external networks and volumes instead of creating them', () => {
    const external = buildProject({
      services: { app: { networks: ['shared'], mounts: [volumeMount('cache', '/cache')] } },
      networks: { shared: { external: true } },
      volumes: { cache: { external: true, name: 'team-cache' } },
    });
    expect(formatPlan(planUp(external, buildObserved(external), up()))).toBe(lines(
      'checkExternal network:shared (external)',
      'checkExternal volume:team-cache (external)',
      'createContainer container:demo-app-1 (not found)',
      '  after: checkExternal network:shared, checkExternal volume:team-cache',
      'startContainer container:demo-app-1 (not found)',
      '  after: createContainer container:demo-app-1',
    ));
  });

  it('pulls by policy: always, never, or only what is missing', () => {
    const images = buildProject({ services: { a: { image: 'x:1', pullPolicy: 'always' }, b: { image: 'y:1', pullPolicy: 'never' }, c: { image: 'z:1' } } });
    const pulls = (options: Partial<PlanUpOptions>, present = ['x:1']): string[] =>
      planUp(images, buildObserved(images), up({ imagesPresent: new Set(present), ...options })).operations.filter((op) => op.kind === 'pullImage').map((op) => op.id);
    expect(pulls({}, ['x:1', 'y:1'])).toEqual(['pullImage image:x:1', 'pullImage image:z:1']);
    expect(pulls({ pull: 'never' }, ['x:1', 'y:1', 'z:1'])).toEqual([]);
    expect(pulls({ pull: 'missing' })).toEqual(['pullImage image:y:1', 'pullImage image:z:1']);
  });

  it('refuses to create a container from a missing image it may not pull, naming the service', () => {
    const images = buildProject({ services: { a: { image: 'x:1', pullPolicy: 'never' }, b: { image: 'y:1' } } });
    const plan = (options: Partial<PlanUpOptions>, present: string[]) => () => planUp(images, buildObserved(images), up({ imagesPresent: new Set(present), ...options }));
    expect(plan({}, ['y:1'])).toThrow(/^service "a": image x:1 is not on the engine, and pull_policy: never forbids pulling it$/);
    expect(plan({ pull: 'never' }, [])).toThrow('service "a": image x:1 is not on the engine, and --pull never forbids pulling it\nservice "b": image y:1 is not on the engine, and --pull never forbids pulling it');
    expect(plan({ pull: 'never' }, ['x:1', 'y:1'])).not.toThrow();
    // A container that already exists needs no image to be kept.
    const running = buildObserved(images, { containers: [{ service: 'a' }], networks: ['default'] });
    expect(() => planUp(images, running, up({ imagesPresent: new Set(['y:1']), services: ['a'] }))).not.toThrow();
  });

  it('rejects unknown services and bad scales as usage errors', () => {
    expect(() => planUp(project, buildObserved(project), up({ services: ['nope'] }))).toThrow('no such service: nope');
    expect(() => planUp(project, buildObserved(project), up({ scale: { web: -1 } }))).toThrow(UsageError);
  });
});

describe('planDown', () => {
  const observed = buildObserved(project, {
    containers: [
      { service: 'db' },
      { service: 'web', dependsOn: 'db:service_healthy:true' },
      { service: 'worker', dependsOn: 'db:service_started:false', state: 'exited' },
    ],
    networks: ['default'],
    volumes: ['data'],
  });

  it('stops dependents first (order from labels), removes containers, then the network; volumes stay', () => {
    expect(formatPlan(planDown(observed))).toBe(lines(
      'removeContainer container:demo-worker-1 (down)',
      'stopContainer container:demo-web-1 (down)',
      'removeContainer container:demo-web-1 (down)',
      '  after: stopContainer container:demo-web-1',
      'stopContainer container:demo-db-1 (down)',
      '  after: stopContainer container:demo-web-1',
      'removeContainer container:demo-db-1 (down)',
      '  after: stopContainer container:demo-db-1',
      'removeNetwork network:demo_default (down)',
      '  after: removeContainer container:demo-db-1, removeContainer container:demo-web-1, removeContainer container:demo-worker-1',
    ));
  });

  it('stops a dependent before a dependency even through a finished job between them', () => {
    // db ← migrate (exited) ← web: nothing to stop for migrate, but web must stop before db.
    const chain = buildProject({ services: { db: {}, migrate: { dependsOn: ['db'] }, web: { dependsOn: ['migrate'] } } });
    const stopped = buildObserved(chain, {
      containers: [
        { service: 'db' },
        { service: 'migrate', dependsOn: 'db:service_started:false', state: 'exited' },
        { service: 'web', dependsOn: 'migrate:service_completed_successfully:false' },
      ],
    });
    expect(formatPlan(planDown(stopped))).toContain('stopContainer container:demo-db-1 (down)\n  after: stopContainer container:demo-web-1');
  });

  it('removes named volumes with -v', () => {
    const text = formatPlan(planDown(observed, { removeVolumes: true }));
    expect(text).toContain('removeVolume volume:demo_data (down -v)\n  after: removeContainer container:demo-db-1, removeContainer container:demo-web-1, removeContainer container:demo-worker-1');
    const plan = planDown(observed, { removeVolumes: true });
    expect(plan.operations.filter((op) => op.kind === 'removeContainer').every((op) => op.kind === 'removeContainer' && op.removeVolumes)).toBe(true);
  });

  it('leaves orphans unless asked when the file names the services', () => {
    const text = formatPlan(planDown(observed, { projectServices: ['db', 'web'] }));
    expect(text).not.toContain('container:demo-worker-1');
    expect(text).toContain('warning: orphan containers (demo-worker-1)');
    expect(formatPlan(planDown(observed, { projectServices: ['db', 'web'], removeOrphans: true }))).toContain('removeContainer container:demo-worker-1 (orphan)');
  });

  it('with services, removes only their containers and no network', () => {
    expect(formatPlan(planDown(observed, { services: ['web'] }))).toBe(lines(
      'stopContainer container:demo-web-1 (down)',
      'removeContainer container:demo-web-1 (down)',
      '  after: stopContainer container:demo-web-1',
    ));
  });

  it('removes images after the containers with rmi', () => {
    const text = formatPlan(planDown(observed, { rmi: 'all' }));
    expect(text).toContain('removeImage image:busybox (rmi all)');
    expect(text).toContain('removeImage image:postgres (rmi all)');
    expect(formatPlan(planDown(observed, { rmi: 'local' }))).not.toContain('removeImage');
  });
});
