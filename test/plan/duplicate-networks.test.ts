// Two networks labelled for one project and key under one name: engine 20.10 accepts the
// duplicate, and a concurrent `up` that crashed before removing its own leaves it behind. `up`
// keeps the oldest (Created, then id), joins it by id and removes the other first; `down` removes
// both, by id.
import { describe, expect, it } from 'vitest';
import type { NetworkSummary } from '../../src/engine/engine.js';
import { explainDownPlan, explainUpPlan } from '../../src/plan/explain-plan.js';
import { LABEL } from '../../src/plan/labels.js';
import { compareNetworkAge, createObservedState, type ObservedState } from '../../src/plan/observed.js';
import { formatPlan, planDown, planUp, type Operation } from '../../src/plan/plan.js';
import { buildObserved, type ObservedInputs } from '../support/observed-builder.js';
import { buildProject } from '../support/project-builder.js';

const lines = (...text: string[]): string => text.join('\n');
const options = { imagesPresent: new Set(['busybox']) };
const project = buildProject({ services: { db: {}, web: { dependsOn: ['db'] } } });

const OLD = 'a'.repeat(64);
const NEW = 'b'.repeat(64);

function network(id: string, created: string, key = 'default', name = 'demo_default'): NetworkSummary {
  return { id, name, driver: 'bridge', created, labels: { [LABEL.project]: 'demo', [LABEL.network]: key } };
}

/** The builder's state plus the given networks, listed in the order given (the engine's order is arbitrary). */
function observedWith(networks: readonly NetworkSummary[], input: ObservedInputs = {}): ObservedState {
  const base = buildObserved(project, input);
  return createObservedState({
    containers: base.containers.map((c) => ({ ...c, imageId: 'sha256:0', command: '', status: c.state === 'running' ? 'Up 1 second' : 'Exited (0)', ports: [], networks: [], mounts: [] })),
    networks,
    volumes: [],
  });
}

function createOps(plan: { readonly operations: readonly Operation[] }): Extract<Operation, { kind: 'createContainer' }>[] {
  return plan.operations.filter((op): op is Extract<Operation, { kind: 'createContainer' }> => op.kind === 'createContainer');
}

describe('up with a duplicate of a network', () => {
  it('keeps the oldest, removes the other before any container is created, and joins the kept one by id', () => {
    const plan = planUp(project, observedWith([network(NEW, '2026-01-01T10:00:02Z'), network(OLD, '2026-01-01T10:00:01Z')]), options);
    expect(formatPlan(plan)).toBe(lines(
      'removeNetwork network:demo_default bbbbbbbbbbbb (duplicate of aaaaaaaaaaaa)',
      'createContainer container:demo-db-1 (not found)',
      '  after: removeNetwork network:demo_default bbbbbbbbbbbb',
      'createContainer container:demo-web-1 (not found)',
      '  after: removeNetwork network:demo_default bbbbbbbbbbbb',
      'startContainer container:demo-db-1 (not found)',
      '  after: createContainer container:demo-db-1',
      'startContainer container:demo-web-1 (not found)',
      '  after: createContainer container:demo-web-1, startContainer container:demo-db-1',
    ));
    const removal = plan.operations.find((op) => op.kind === 'removeNetwork');
    expect(removal).toMatchObject({ networkId: NEW, name: 'demo_default', duplicateOf: OLD });
    for (const op of createOps(plan)) expect(op.networkIds, op.name).toEqual({ demo_default: OLD });
  });

  it('picks the same one whatever order the engine lists them in', () => {
    const a = network(OLD, '2026-01-01T10:00:01Z');
    const b = network(NEW, '2026-01-01T10:00:02Z');
    const one = formatPlan(planUp(project, observedWith([a, b]), options));
    const other = formatPlan(planUp(project, observedWith([b, a]), options));
    expect(one).toBe(other);
    expect(one).toContain('removeNetwork network:demo_default bbbbbbbbbbbb');
  });

  it('compares Created as time, not as text: a trimmed fraction (.12) is earlier than .123', () => {
    // As text ".12Z" sorts after ".123Z" ('Z' > '3'); the engine trims trailing zeros of the fraction.
    const plan = planUp(project, observedWith([network(OLD, '2026-01-01T10:00:01.123Z'), network(NEW, '2026-01-01T10:00:01.12Z')]), options);
    expect(formatPlan(plan)).toContain('removeNetwork network:demo_default aaaaaaaaaaaa (duplicate of bbbbbbbbbbbb)');
    for (const op of createOps(plan)) expect(op.networkIds).toEqual({ demo_default: NEW });
  });

  it('with the same Created, keeps the lower id', () => {
    const plan = planUp(project, observedWith([network(NEW, '2026-01-01T10:00:01Z'), network(OLD, '2026-01-01T10:00:01Z')]), options);
    expect(formatPlan(plan)).toContain('removeNetwork network:demo_default bbbbbbbbbbbb (duplicate of aaaaaaaaaaaa)');
  });

  it('removes every extra copy, and a stopped container starts only once they are gone', () => {
    const third = 'c'.repeat(64);
    const observed = observedWith(
      [network(third, '2026-01-01T10:00:03Z'), network(NEW, '2026-01-01T10:00:02Z'), network(OLD, '2026-01-01T10:00:01Z')],
      { containers: [{ service: 'db', state: 'exited' }, { service: 'web' }] },
    );
    const plan = planUp(project, observed, options);
    expect(plan.operations.filter((op) => op.kind === 'removeNetwork').map((op) => op.kind === 'removeNetwork' && op.networkId)).toEqual([NEW, third]);
    const start = plan.operations.find((op) => op.id === 'startContainer container:demo-db-1');
    expect(start?.dependsOn).toEqual(['removeNetwork network:demo_default bbbbbbbbbbbb', 'removeNetwork network:demo_default cccccccccccc']);
    // The running web is kept: a network in use is not the planner's to take away.
    expect(plan.operations.find((op) => op.resource === 'container:demo-web-1')?.kind).toBe('keepContainer');
  });

  it('a network of another key under the same name is not a duplicate of this one', () => {
    const plan = planUp(project, observedWith([network(OLD, '2026-01-01T10:00:01Z'), network(NEW, '2026-01-01T10:00:02Z', 'other')]), options);
    expect(plan.operations.some((op) => op.kind === 'removeNetwork')).toBe(false);
    for (const op of createOps(plan)) expect(op.networkIds).toEqual({ demo_default: OLD });
  });

  it('without duplicates, joins the existing network by id and removes nothing', () => {
    const plan = planUp(project, observedWith([network(OLD, '2026-01-01T10:00:01Z')]), options);
    expect(plan.operations.some((op) => op.kind === 'removeNetwork' || op.kind === 'createNetwork')).toBe(false);
    for (const op of createOps(plan)) expect(op.networkIds).toEqual({ demo_default: OLD });
  });

  it('gantry plan shows the removal of the duplicate, once', () => {
    const observed = observedWith([network(NEW, '2026-01-01T10:00:02Z'), network(OLD, '2026-01-01T10:00:01Z')]);
    const steps = explainUpPlan(planUp(project, observed, options), { project, observed }).steps.filter((s) => s.kind === 'network');
    expect(steps).toEqual([{ action: 'remove', kind: 'network', name: 'demo_default', reason: 'duplicate of aaaaaaaaaaaa' }]);
  });
});

describe('down with a duplicate of a network', () => {
  it('removes both, each by id', () => {
    const observed = observedWith([network(NEW, '2026-01-01T10:00:02Z'), network(OLD, '2026-01-01T10:00:01Z')], { containers: [{ service: 'db' }] });
    const plan = planDown(observed);
    const removals = plan.operations.filter((op) => op.kind === 'removeNetwork');
    expect(removals.map((op) => op.kind === 'removeNetwork' && op.networkId)).toEqual([OLD, NEW]);
    expect(formatPlan(plan)).toBe(lines(
      'stopContainer container:demo-db-1 (down)',
      'removeContainer container:demo-db-1 (down)',
      '  after: stopContainer container:demo-db-1',
      'removeNetwork network:demo_default (down)',
      '  after: removeContainer container:demo-db-1',
      'removeNetwork network:demo_default bbbbbbbbbbbb (down, duplicate)',
      '  after: removeContainer container:demo-db-1',
    ));
    const steps = explainDownPlan(plan, { project: 'demo', observed, removeVolumes: false }).steps.filter((s) => s.kind === 'network');
    expect(steps.map((s) => s.reason)).toEqual(['down', 'down, duplicate']);
  });
});

describe('compareNetworkAge', () => {
  it('orders by time across fraction lengths and offsets, then by id', () => {
    const sorted = [
      { id: 'd', created: '2026-01-01T11:00:00.5+01:00' },
      { id: 'c', created: '2026-01-01T10:00:00.123456789Z' },
      { id: 'b', created: '2026-01-01T10:00:00.12Z' },
      { id: 'a', created: '2026-01-01T10:00:00.12Z' },
      { id: 'e', created: '2026-01-01T10:00:01Z' },
    ].sort(compareNetworkAge);
    expect(sorted.map((n) => n.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
