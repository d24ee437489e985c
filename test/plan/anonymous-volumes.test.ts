// Anonymous volumes across a recreate (compose's "inherit"): the plan hands the replaced
// container's anonymous volumes to its successor, container-spec mounts them by name, and
// `down -v` removes them even though the engine's `rm -v` keeps volumes mounted by name.
import { describe, expect, it } from 'vitest';
import { createContainerSpec } from '../../src/engine/container-spec.js';
import type { Mount } from '../../src/model/types.js';
import { planDown, planUp, type Operation } from '../../src/plan/plan.js';
import { buildObserved } from '../support/observed-builder.js';
import { buildProject, volumeMount } from '../support/project-builder.js';

const ANON_CACHE = 'a'.repeat(64);
const ANON_IMAGE = 'b'.repeat(64);
const anonymous = (target: string): Mount => ({ type: 'volume', target, readOnly: false });

const project = buildProject({
  services: { web: { mounts: [volumeMount('data', '/data'), anonymous('/cache/')] } },
  volumes: { data: {} },
});
/** web-1 as the engine lists it: the named volume, the anonymous one and one for an image VOLUME. */
const running = buildObserved(project, {
  containers: [{ service: 'web', volumes: { '/data': 'demo_data', '/cache': ANON_CACHE, '/var/lib/db': ANON_IMAGE } }],
  networks: ['default'],
  volumes: ['data'],
});

function createOf(operations: readonly Operation[]): Extract<Operation, { kind: 'createContainer' }> {
  const create = operations.find((op): op is Extract<Operation, { kind: 'createContainer' }> => op.kind === 'createContainer');
  if (create === undefined) throw new Error('no createContainer in the plan');
  return create;
}

describe('planUp passes anonymous volumes to the replacement', () => {
  it('hands over anonymous volumes by target, never the named one', () => {
    const plan = planUp(project, running, { imagesPresent: new Set(['busybox']), forceRecreate: true });
    expect(createOf(plan.operations).inheritVolumes).toEqual({ '/cache': ANON_CACHE, '/var/lib/db': ANON_IMAGE });
    // The old container goes without -v, so the volumes outlive it.
    expect(plan.operations.find((op) => op.kind === 'removeContainer')).toMatchObject({ removeVolumes: false });
  });

  it('does not hand over a target the file now gives to a named volume or a bind', () => {
    const changed = buildProject({
      services: { web: { mounts: [volumeMount('data', '/data'), volumeMount('cache', '/cache'), { type: 'bind', source: '/srv', target: '/var/lib/db', readOnly: false }] } },
      volumes: { data: {}, cache: {} },
    });
    const plan = planUp(changed, running, { imagesPresent: new Set(['busybox']) });
    expect(createOf(plan.operations).inheritVolumes).toBeUndefined();
  });

  it('hands over nothing with -V (renewAnonVolumes), nor for a container that is only created', () => {
    const renewed = planUp(project, running, { imagesPresent: new Set(['busybox']), forceRecreate: true, renewAnonVolumes: true });
    expect(createOf(renewed.operations).inheritVolumes).toBeUndefined();
    const fresh = planUp(project, buildObserved(project), { imagesPresent: new Set(['busybox']) });
    expect(createOf(fresh.operations).inheritVolumes).toBeUndefined();
  });
});

describe('createContainerSpec mounts inherited volumes', () => {
  const web = project.services.web;
  if (web === undefined) throw new Error('no web service');
  const input = { project, service: web, number: 1, configHash: 'h', inheritVolumes: { '/cache': ANON_CACHE, '/var/lib/db': ANON_IMAGE } };

  it('at the service\'s anonymous target, and at an image VOLUME', () => {
    const mounts = createContainerSpec({ ...input, imageVolumes: ['/var/lib/db/'] }).body.HostConfig as { Mounts: unknown[] };
    expect(mounts.Mounts).toEqual([
      { Type: 'volume', Target: '/data', Source: 'demo_data' },
      { Type: 'volume', Target: '/cache/', Source: ANON_CACHE },
      { Type: 'volume', Source: ANON_IMAGE, Target: '/var/lib/db' },
    ]);
  });

  it('not at a target that is neither in the file nor an image VOLUME any more', () => {
    const mounts = createContainerSpec({ ...input, imageVolumes: [] }).body.HostConfig as { Mounts: unknown[] };
    expect(mounts.Mounts).toEqual([
      { Type: 'volume', Target: '/data', Source: 'demo_data' },
      { Type: 'volume', Target: '/cache/', Source: ANON_CACHE },
    ]);
  });
});

describe('planDown -v removes anonymous volumes the engine keeps', () => {
  it('after the container that mounts them; named volumes once, never twice', () => {
    const removals = planDown(running, { removeVolumes: true }).operations.filter((op) => op.kind === 'removeVolume');
    expect(removals.map((op) => [op.name, op.kind === 'removeVolume' && op.anonymous === true, op.dependsOn])).toEqual([
      ['demo_data', false, ['removeContainer container:demo-web-1']],
      [ANON_CACHE, true, ['removeContainer container:demo-web-1']],
      [ANON_IMAGE, true, ['removeContainer container:demo-web-1']],
    ]);
  });

  it('and no volume at all without -v', () => {
    expect(planDown(running).operations.filter((op) => op.kind === 'removeVolume')).toEqual([]);
  });
});
