// The executor against the in-memory engine: order along the graph, the concurrency cap,
// failure propagation, conditions and cancellation.
import { describe, expect, it } from 'vitest';
import { DependencyError, InterruptedError } from '../../src/errors.js';
import { executePlan, ExecutionError } from '../../src/engine/execute.js';
import { observe } from '../../src/engine/observe.js';
import type { Clock } from '../../src/engine/wait.js';
import { createRecordingSink } from '../../src/events/events.js';
import type { Project } from '../../src/model/types.js';
import { planDown, planUp } from '../../src/plan/plan.js';
import { createFakeEngine, type FakeCall, type FakeEngine, type FakeEngineOptions } from '../support/fake-engine.js';
import { buildProject, volumeMount, type ServiceInput } from '../support/project-builder.js';

const healthcheck = { test: ['CMD', 'true'], disable: false } as const;

function setup(services: Record<string, ServiceInput>, options: FakeEngineOptions = {}): { project: Project; engine: FakeEngine } {
  return { project: buildProject({ services }), engine: createFakeEngine({ images: ['busybox'], ...options }) };
}

async function up(project: Project, engine: FakeEngine, extra: Partial<Parameters<typeof executePlan>[1]> = {}): Promise<void> {
  const plan = planUp(project, await observe(engine, project.name), { imagesPresent: new Set(['busybox']) });
  engine.resetCalls();
  await executePlan(plan, { engine, project, ...extra });
}

const find = (engine: FakeEngine, operation: string, resource: string): FakeCall => {
  const call = engine.calls.find((c) => c.operation === operation && c.resource === resource);
  if (call === undefined) throw new Error(`no ${operation} ${resource} call`);
  return call;
};

/** `first` had finished before `second` began. */
const before = (first: FakeCall, second: FakeCall): boolean => (first.endSeq ?? Infinity) < second.startSeq;

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('executePlan', () => {
  it('follows the graph: network, then db, healthy, then web', async () => {
    const { project, engine } = setup(
      { db: { healthcheck }, web: { dependsOn: [{ service: 'db', condition: 'service_healthy' }] } },
      { healthOnStart: ({ name }) => (name === 'demo-db-1' ? 'healthy' : undefined), latencyMs: 1 },
    );
    const sink = createRecordingSink();
    await up(project, engine, { sink });
    expect(before(find(engine, 'createNetwork', 'demo_default'), find(engine, 'createContainer', 'demo-db-1'))).toBe(true);
    expect(before(find(engine, 'startContainer', 'demo-db-1'), find(engine, 'startContainer', 'demo-web-1'))).toBe(true);
    const web = sink.events.filter((e) => e.id === 'container:demo-web-1').map((e) => e.text);
    expect(web).toEqual(['Creating', 'Created', 'Starting', 'Started']);
    const db = sink.events.filter((e) => e.id === 'container:demo-db-1').map((e) => e.text);
    expect(db).toEqual(['Creating', 'Created', 'Starting', 'Started', 'Waiting', 'Healthy']);
    expect(engine.container('demo-web-1')?.state).toBe('running');
  });

  it('converges: a second up keeps everything; a changed service and its restart: true dependents are recreated', async () => {
    const services = { db: {}, web: { dependsOn: [{ service: 'db', restart: true }] }, other: {} };
    const { project, engine } = setup(services);
    await up(project, engine);
    const ids = new Map([...engine.containers.values()].map((c) => [c.name, c.id]));
    await up(project, engine);
    expect(engine.calls.map((c) => c.operation).filter((o) => o !== 'listContainers' && o !== 'listNetworks' && o !== 'listVolumes')).toEqual([]);
    const changed = buildProject({ services: { ...services, db: { environment: { A: '1' } } } });
    await up(changed, engine);
    const now = new Map([...engine.containers.values()].map((c) => [c.name, c.id]));
    expect(now.get('demo-db-1')).not.toBe(ids.get('demo-db-1'));
    expect(now.get('demo-web-1')).not.toBe(ids.get('demo-web-1'));
    expect(now.get('demo-other-1')).toBe(ids.get('demo-other-1'));
    expect(before(find(engine, 'stopContainer', ids.get('demo-web-1') ?? ''), find(engine, 'stopContainer', ids.get('demo-db-1') ?? ''))).toBe(true);
  });

  it('runs a down plan without the project: containers and networks go, volumes stay', async () => {
    const { project, engine } = setup({ db: { mounts: [volumeMount('data', '/data')] }, web: { dependsOn: ['db'] } });
    const withVolume = { ...project, volumes: buildProject({ services: {}, volumes: { data: {} } }).volumes };
    await up(withVolume, engine);
    await executePlan(planDown(await observe(engine, 'demo')), { engine });
    expect(engine.containers.size).toBe(0);
    expect(engine.networks).toEqual([]);
    expect([...engine.volumes.keys()]).toEqual(['demo_data']);
  });

  it('stops a dependency once its dependents have exited (kill, then die), not when their stop calls return', async () => {
    // The engine answers a stop only after its cleanup; its events say when the process is gone.
    // Here each stop's process exits at once (the kill and die events), and the call answers 50 ms later.
    let fake: FakeEngine | undefined;
    const { project, engine } = setup({ db: {}, api: { dependsOn: ['db'] }, web: { dependsOn: ['api'] } }, {
      latencyMs: (operation) => (operation === 'stopContainer' ? 50 : 0),
      onCall: (call) => {
        if (call.operation === 'stopContainer') void fake?.killContainer(call.resource);
      },
    });
    fake = engine;
    await up(project, engine);
    const ids = new Map([...engine.containers.values()].map((c) => [c.name, c.id]));
    const sink = createRecordingSink();
    await executePlan(planDown(await observe(engine, 'demo')), { engine, sink });
    expect(engine.containers.size).toBe(0);
    const call = (operation: string, name: string): FakeCall => find(engine, operation, ids.get(name) ?? name);
    // api's stop waits for web's exit, no longer for web's stop call, and likewise db for api.
    expect(before(call('killContainer', 'demo-web-1'), call('stopContainer', 'demo-api-1'))).toBe(true);
    expect(call('stopContainer', 'demo-api-1').startSeq).toBeLessThan(call('stopContainer', 'demo-web-1').endSeq ?? 0);
    expect(before(call('killContainer', 'demo-api-1'), call('stopContainer', 'demo-db-1'))).toBe(true);
    expect(call('stopContainer', 'demo-db-1').startSeq).toBeLessThan(call('stopContainer', 'demo-api-1').endSeq ?? 0);
    // Each container is removed only once its own stop call has returned.
    for (const name of ['demo-web-1', 'demo-api-1', 'demo-db-1']) expect(before(call('stopContainer', name), call('removeContainer', name))).toBe(true);
    // The progress keeps the order: a dependent is reported stopped before its dependency stops.
    const stops = sink.events.filter((e) => e.text === 'Stopping' || e.text === 'Stopped').map((e) => `${e.id} ${e.text}`);
    expect(stops).toEqual([
      'container:demo-web-1 Stopping', 'container:demo-web-1 Stopped',
      'container:demo-api-1 Stopping', 'container:demo-api-1 Stopped',
      'container:demo-db-1 Stopping', 'container:demo-db-1 Stopped',
    ]);
  });

  it('keeps a network that an orphan left in place still uses, with a warning, and succeeds', async () => {
    const { project, engine } = setup({ web: {}, worker: {} });
    await up(project, engine);
    const sink = createRecordingSink();
    await executePlan(planDown(await observe(engine, 'demo'), { projectServices: ['web'] }), { engine, sink });
    expect([...engine.containers.values()].map((c) => c.name)).toEqual(['demo-worker-1']);
    expect(engine.networks.map((n) => n.name)).toEqual(['demo_default']);
    expect(sink.events).toContainEqual(expect.objectContaining({ id: 'network:demo_default', status: 'warning', detail: 'Resource is still in use' }));
  });

  it('never has more API calls in flight than the concurrency limit', async () => {
    const services = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`s${i}`, {}]));
    const { project, engine } = setup(services, { latencyMs: 3 });
    await up(project, engine, { concurrency: 3 });
    expect(engine.maxConcurrent).toBe(3);
    expect([...engine.containers.values()].every((c) => c.state === 'running')).toBe(true);
  });

  it('does not deadlock on a chain deeper than the limit (waits happen outside the slots)', async () => {
    const { project, engine } = setup(
      {
        a: { healthcheck },
        b: { healthcheck, dependsOn: [{ service: 'a', condition: 'service_healthy' }] },
        c: { dependsOn: [{ service: 'b', condition: 'service_healthy' }] },
      },
      { healthOnStart: () => 'healthy' },
    );
    await up(project, engine, { concurrency: 1 });
    expect(engine.maxConcurrent).toBe(1);
    expect(engine.container('demo-c-1')?.state).toBe('running');
  });

  it('skips only the dependents of a failure; independent branches finish', async () => {
    const { project, engine } = setup(
      { db: {}, web: { dependsOn: ['db'] }, cache: {} },
      { failOn: [{ operation: 'startContainer', resource: 'demo-db-1', statusCode: 500, message: 'port is already allocated' }] },
    );
    const sink = createRecordingSink();
    const error = await failureOf(up(project, engine, { sink }));
    expect(error).toBeInstanceOf(ExecutionError);
    expect((error as ExecutionError).message).toContain('port is already allocated');
    expect((error as ExecutionError).message).toMatch(/^service "db": .*port is already allocated.* \(not started because of it: web\)$/);
    expect(engine.container('demo-cache-1')?.state).toBe('running');
    expect(engine.container('demo-web-1')?.state).toBe('created');
    expect(engine.calls.some((c) => c.operation === 'startContainer' && c.resource === 'demo-web-1')).toBe(false);
    const skip = sink.events.find((e) => e.id === 'container:demo-web-1' && e.text === 'Skipped');
    expect(skip?.detail).toMatch(/^dependency db failed: .*port is already allocated/);
  });

  it('fails dependents of an unhealthy service with the last healthcheck output', async () => {
    const { project, engine } = setup(
      { db: { healthcheck }, web: { dependsOn: [{ service: 'db', condition: 'service_healthy' }] } },
      { healthOnStart: () => 'unhealthy' },
    );
    const error = await failureOf(up(project, engine));
    const cause = (error as ExecutionError).errors[0];
    expect(cause).toBeInstanceOf(DependencyError);
    expect((error as Error).message).toBe('service "web" did not start: dependency "db" is unhealthy: demo-db-1: check failed');
    expect(engine.container('demo-web-1')?.state).toBe('created');
  });

  it('runs one-shot jobs to completion first, and fails dependents on a non-zero exit', async () => {
    const services = { migrate: {}, web: { dependsOn: [{ service: 'migrate', condition: 'service_completed_successfully' as const }] } };
    const ok = setup(services, { exitOnStart: ({ name }) => (name === 'demo-migrate-1' ? 0 : undefined) });
    await up(ok.project, ok.engine);
    expect(ok.engine.container('demo-web-1')?.state).toBe('running');

    const bad = setup(services, { exitOnStart: ({ name }) => (name === 'demo-migrate-1' ? 3 : undefined) });
    const error = await failureOf(up(bad.project, bad.engine));
    expect((error as Error).message).toBe('service "web" did not start: dependency "migrate" exited: demo-migrate-1 exit code 3');
  });

  it('times out through the injected clock, without real waiting', async () => {
    const { project, engine } = setup({ db: { healthcheck }, web: { dependsOn: [{ service: 'db', condition: 'service_healthy' }] } });
    const clock: Clock = { now: () => 0, sleep: () => Promise.resolve() };
    const error = await failureOf(up(project, engine, { clock, timeouts: { waitMs: 60_000 } }));
    expect(((error as ExecutionError).errors[0] as DependencyError).reason).toBe('timeout');
  });

  it('on abort, launches nothing new, lets calls in flight settle and throws InterruptedError', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    const { project, engine } = setup(
      { db: {}, web: { dependsOn: ['db'] } },
      {
        latencyMs: 2,
        onCall: (call) => {
          if (call.operation === 'createContainer' && abortedAt === 0) {
            abortedAt = call.startSeq;
            controller.abort();
          }
        },
      },
    );
    const error = await failureOf(up(project, engine, { signal: controller.signal, concurrency: 1 }));
    expect(error).toBeInstanceOf(InterruptedError);
    expect(engine.calls.filter((c) => c.startSeq > abortedAt)).toEqual([]);
    expect(engine.calls.every((c) => c.endSeq !== undefined)).toBe(true);
  });

  it('stops waiting for health at once on abort', async () => {
    const controller = new AbortController();
    const { project, engine } = setup({ db: { healthcheck }, web: { dependsOn: [{ service: 'db', condition: 'service_healthy' }] } });
    const sink = { emit: (e: { text: string }) => void (e.text === 'Waiting' && controller.abort()) };
    expect(await failureOf(up(project, engine, { signal: controller.signal, sink }))).toBeInstanceOf(InterruptedError);
  });

  it('makes two concurrent runs converge on one network', async () => {
    const { project, engine } = setup({ web: {} }, { latencyMs: 2 });
    const plan = planUp(project, await observe(engine, project.name), { imagesPresent: new Set(['busybox']) });
    const networkOnly = { operations: plan.operations.filter((op) => op.kind === 'createNetwork'), warnings: [] };
    await Promise.all([executePlan(networkOnly, { engine, project }), executePlan(networkOnly, { engine, project })]);
    expect(engine.calls.filter((c) => c.operation === 'createNetwork' && c.ok === true)).toHaveLength(2);
    expect(engine.networks.map((n) => n.name)).toEqual(['demo_default']);
    await executePlan(networkOnly, { engine, project });
    expect(engine.networks).toHaveLength(1);
  });

  it("refuses a same-named network that is not the project's", async () => {
    const { project, engine } = setup({ web: {} });
    await engine.createNetwork({ name: 'demo_default', driverOpts: {}, labels: {}, internal: false, attachable: false, enableIpv6: false });
    const error = await failureOf(up(project, engine));
    expect((error as Error).message).toContain('network demo_default exists but was not created for project "demo"');
    expect((error as ExecutionError).hint).toContain('external: true');
  });

  it('pulls missing images with progress, and fails what needs an image that cannot be pulled', async () => {
    const { project, engine } = setup({ app: { image: 'registry/app:1' }, bad: { image: 'nope:1' } }, { registry: ['registry/app:1'] });
    const sink = createRecordingSink();
    const error = await failureOf(up(project, engine, { sink }));
    expect(engine.container('demo-app-1')?.state).toBe('running');
    expect(sink.events.some((e) => e.id === 'image:registry/app:1' && e.detail === 'layer1: Downloading 50%')).toBe(true);
    expect((error as Error).message).toContain('pull access denied for nope:1');
    expect((error as Error).message).toMatch(/^service "bad": /);
  });

  it('names the service of a failed create, and does not report its own start as skipped', async () => {
    const { project, engine } = setup(
      { web: {}, proxy: { dependsOn: ['web'] } },
      { failOn: [{ operation: 'createContainer', resource: 'demo-web-1', statusCode: 409, message: 'name already in use' }] },
    );
    const sink = createRecordingSink();
    const error = await failureOf(up(project, engine, { sink }));
    expect((error as Error).message).toMatch(/^service "web": .*name already in use.* \(not started because of it: proxy\)$/);
    expect(sink.events.filter((e) => e.id === 'container:demo-web-1').map((e) => e.text)).toEqual(['Creating', 'Error']);
    expect(sink.events.find((e) => e.id === 'container:demo-proxy-1' && e.text === 'Skipped')?.detail).toMatch(/^dependency web failed: /);
  });
});
