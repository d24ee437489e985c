// Two `up`s of one project at once, on the in-memory engine: a name conflict with the very
// container the other run just made counts as done, a conflict with anything else still fails,
// and containers join the network both runs settled on by id.
import { describe, expect, it } from 'vitest';
import { createContainerSpec } from '../../src/engine/container-spec.js';
import type { Engine } from '../../src/engine/engine.js';
import { executePlan } from '../../src/engine/execute.js';
import { EngineError } from '../../src/errors.js';
import { observe } from '../../src/engine/observe.js';
import type { Project } from '../../src/model/types.js';
import { planDown, planUp } from '../../src/plan/plan.js';
import { createFakeEngine, type FakeEngine } from '../support/fake-engine.js';
import { buildProject } from '../support/project-builder.js';

/** The engine with some methods replaced (the fake's private fields need the real receiver). */
function override(engine: FakeEngine, methods: Partial<Engine>): Engine {
  return new Proxy(engine, {
    get(target, property, receiver) {
      const replaced = (methods as Record<PropertyKey, unknown>)[property];
      if (replaced !== undefined) return replaced;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function up(project: Project, engine: FakeEngine): Promise<void> {
  const plan = planUp(project, await observe(engine, project.name), { imagesPresent: new Set(['busybox']) });
  await executePlan(plan, { engine, project });
}

describe('two concurrent up runs', () => {
  it('both succeed with one container per replica on one network', async () => {
    const project = buildProject({ services: { db: {}, api: { replicas: 2, dependsOn: ['db'] } } });
    const engine = createFakeEngine({ images: ['busybox'], latencyMs: 2 });
    // Both observe an empty engine, so both plan every create.
    const plans = await Promise.all([1, 2].map(async () => planUp(project, await observe(engine, project.name), { imagesPresent: new Set(['busybox']) })));
    await Promise.all(plans.map((plan) => executePlan(plan, { engine, project })));
    const names = [...engine.containers.values()].map((c) => c.name).sort();
    expect(names).toEqual(['demo-api-1', 'demo-api-2', 'demo-db-1']);
    expect([...engine.containers.values()].every((c) => c.state === 'running' && c.networks.join() === 'demo_default')).toBe(true);
    expect(engine.networks.map((n) => n.name)).toEqual(['demo_default']);
    expect(engine.calls.filter((c) => c.operation === 'createContainer' && c.ok === false)).toHaveLength(3);
  });

  it('still fails on a name held by a container that is not the one it would create', async () => {
    const project = buildProject({ services: { web: {} } });
    const engine = createFakeEngine({ images: ['busybox'] });
    await up(project, engine);
    const changed = buildProject({ services: { web: { environment: { MODE: 'new' } } } });
    // Planned against an empty engine: the create meets the old config's container.
    const plan = planUp(changed, await observe(createFakeEngine({ images: ['busybox'] }), changed.name), { imagesPresent: new Set(['busybox']) });
    await expect(executePlan(plan, { engine, project: changed })).rejects.toThrow(/already in use/);
  });
});

describe('races with another run, on the engine side', () => {
  it('starts again once a network name another run duplicated is no longer ambiguous', async () => {
    const project = buildProject({ services: { web: {} } });
    const engine = createFakeEngine({ images: ['busybox'] });
    let refusals = 2;
    const racing = override(engine, {
      startContainer: async (id, o) => {
        if (refusals-- > 0) throw new EngineError('network demo_default is ambiguous (2 matches found on name)', { operation: 'start container', resource: id, statusCode: 500 });
        return engine.startContainer(id, o);
      },
    });
    const plan = planUp(project, await observe(engine, project.name), { imagesPresent: new Set(['busybox']) });
    await executePlan(plan, { engine: racing, project });
    expect(engine.container('demo-web-1')?.state).toBe('running');
    expect(refusals).toBe(-1);
  });

  it('counts a container another down is already removing as removed, once it is gone', async () => {
    const project = buildProject({ services: { web: {} } });
    const engine = createFakeEngine({ images: ['busybox'] });
    await up(project, engine);
    const racing = override(engine, {
      removeContainer: async (id, o) => {
        await engine.removeContainer(id, o);
        throw new EngineError(`removal of container ${id} is already in progress`, { operation: 'remove container', resource: id, statusCode: 409 });
      },
    });
    await executePlan(planDown(await observe(engine, project.name)), { engine: racing });
    expect(engine.containers.size).toBe(0);
    expect(engine.networks).toEqual([]);
  });
});

describe('createContainerSpec with the network ids a run settled on', () => {
  it('joins by id but keeps the name as the network mode, so inspect reads as usual', () => {
    const project = buildProject({
      services: { web: { networks: { back: { aliases: [], priority: 0 }, front: { aliases: [], priority: 0 } } } },
      networks: { back: {}, front: {} },
    });
    const web = project.services.web;
    if (web === undefined) throw new Error('no web service');
    const spec = createContainerSpec({ project, service: web, number: 1, configHash: 'h', networkIds: { demo_back: 'id-back', demo_front: 'id-front' } });
    expect(spec.body.HostConfig).toMatchObject({ NetworkMode: 'demo_back' });
    expect(spec.body.NetworkingConfig).toEqual({ EndpointsConfig: { 'id-back': { Aliases: ['web'] } } });
    expect(spec.extraNetworks).toMatchObject([{ name: 'demo_front', id: 'id-front', aliases: ['web'] }]);
  });
});
