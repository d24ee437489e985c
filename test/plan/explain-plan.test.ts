// `gantry plan` as a specification: each situation, the exact text a person reads. The observed
// state is built inline; containers carry the config they were created from, as Gantry records it.
import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/model/types.js';
import { explainDownPlan, explainUpPlan } from '../../src/plan/explain-plan.js';
import { planDown, planUp, type PlanUpOptions } from '../../src/plan/plan.js';
import { renderPlanJson, renderPlanText } from '../../src/ui/plan-view.js';
import { buildObserved, type ObservedInputs } from '../support/observed-builder.js';
import { buildProject, volumeMount, type ServiceInput } from '../support/project-builder.js';

const lines = (...text: string[]): string => `${text.join('\n')}\n`;
const healthy = { test: ['CMD', 'pg_isready'], disable: false };

/** db (healthchecked, volume) ← api (service_healthy) and db ← worker (restart: true). */
function stack(db: ServiceInput = {}) {
  return buildProject({
    services: {
      db: { image: 'postgres:16', environment: { VALUE: 'one' }, mounts: [volumeMount('data', '/var/lib/postgresql/data')], healthcheck: healthy, ...db },
      api: { dependsOn: [{ service: 'db', condition: 'service_healthy' }] },
      worker: { dependsOn: [{ service: 'db', restart: true }] },
    },
    volumes: { data: {} },
  });
}

const original = stack();
const oldDb = original.services.db as Service;
const allRunning = (db: Service = oldDb): ObservedInputs => ({
  containers: [{ service: 'db', createdFrom: db }, { service: 'api' }, { service: 'worker' }],
  networks: ['default'],
  volumes: ['data'],
});
const options = (extra: Partial<PlanUpOptions> = {}): PlanUpOptions => ({ imagesPresent: new Set(['busybox', 'postgres:16']), ...extra });

function planText(project = original, observed: ObservedInputs = {}, extra: Partial<PlanUpOptions> = {}): string {
  const state = buildObserved(project, observed);
  return renderPlanText(explainUpPlan(planUp(project, state, options(extra)), { project, observed: state }));
}

describe('gantry plan (up)', () => {
  it('creates everything on an empty engine, each container with what it waits for', () => {
    expect(planText(original, {}, { imagesPresent: new Set(['busybox']) })).toBe(lines(
      'Plan for project demo:',
      '  create network demo_default (not found)',
      '  create volume demo_data (not found)',
      '  pull image postgres:16 (missing)',
      '  create container demo-db-1 (not found)',
      '  create container demo-api-1 (not found)',
      '    waits for db: service_healthy',
      '  create container demo-worker-1 (not found)',
      '    waits for db: service_started',
      'Summary: 5 to create, 1 to pull',
    ));
  });

  it('keeps everything when nothing changed', () => {
    expect(planText(original, allRunning())).toBe(lines(
      'Plan for project demo:',
      '  keep container demo-db-1 (running)',
      '  keep container demo-api-1 (running)',
      '  keep container demo-worker-1 (running)',
      'Summary: 3 unchanged',
    ));
  });

  it('shows the one changed environment value of a recreate, and what happens to each dependent', () => {
    const changed = stack({ environment: { VALUE: 'two' } });
    expect(planText(changed, allRunning())).toBe(lines(
      'Plan for project demo:',
      '  recreate container demo-db-1 (config changed: environment.VALUE: "one" → "two")',
      '    dependents: api, worker',
      '  keep container demo-api-1 (running)',
      '    dependency db is recreated; api keeps its container (add restart: true to its depends_on entry to restart it with db)',
      '  recreate container demo-worker-1 (dependency db recreated)',
      '    waits for db: service_started',
      'Summary: 2 to recreate, 1 unchanged',
    ));
  });

  it('lists several changed fields under the recreate, named as in the compose file', () => {
    const changed = stack({
      image: 'postgres:17',
      environment: { VALUE: 'one', ADDED: 'yes' },
      mounts: [{ ...volumeMount('data', '/var/lib/postgresql/data'), readOnly: true }],
      stopGracePeriod: 30e9,
    });
    const text = planText(changed, allRunning(), { imagesPresent: new Set(['busybox', 'postgres:17']) });
    expect(text).toContain(lines(
      '  recreate container demo-db-1 (config changed)',
      '    environment.ADDED: (unset) → "yes"',
      '    image: "postgres:16" → "postgres:17"',
      '    stop_grace_period: (unset) → 30s',
      '    volumes[0].read_only: false → true',
      '    dependents: api, worker',
    ));
  });

  it('recreates a container whose image now resolves to another id, naming both ids', () => {
    const before = `sha256:${'1'.repeat(64)}`;
    const after = `sha256:${'2'.repeat(64)}`;
    const observed: ObservedInputs = { ...allRunning(), containers: (allRunning().containers ?? []).map((c) => ({ ...c, imageId: before })) };
    expect(planText(original, observed, { imageIds: new Map([['busybox', before], ['postgres:16', after]]) })).toBe(lines(
      'Plan for project demo:',
      '  recreate container demo-db-1 (image changed: sha256:111111111111… → sha256:222222222222…)',
      '    dependents: api, worker',
      '  keep container demo-api-1 (running)',
      '    dependency db is recreated; api keeps its container (add restart: true to its depends_on entry to restart it with db)',
      '  recreate container demo-worker-1 (dependency db recreated)',
      '    waits for db: service_started',
      'Summary: 2 to recreate, 1 unchanged',
    ));
  });

  it('says that a kept container may still be recreated once its image is pulled or built', () => {
    const alwaysPulled = stack({ pullPolicy: 'always' });
    expect(planText(alwaysPulled, allRunning(alwaysPulled.services.db))).toBe(lines(
      'Plan for project demo:',
      '  pull image postgres:16 (pull_policy always)',
      '  keep container demo-db-1 (running)',
      '    its image postgres:16 is pulled first; the container is recreated if the pull brings a different image',
      '  keep container demo-api-1 (running)',
      '  keep container demo-worker-1 (running)',
      'Summary: 1 to pull, 3 unchanged',
    ));
  });

  it('says only that the hash differs when the container has no recorded config', () => {
    const changed = stack({ environment: { VALUE: 'two' } });
    const observed: ObservedInputs = { ...allRunning(), containers: [{ service: 'db', hash: 'from-docker-compose' }, { service: 'api' }, { service: 'worker' }] };
    expect(planText(changed, observed)).toContain(lines(
      '  recreate container demo-db-1 (config changed)',
      '    the container has no recorded config (created by another tool): only its config hash differs',
    ));
  });

  it('starts a stopped container again, after what it waits for', () => {
    const observed: ObservedInputs = { ...allRunning(), containers: [{ service: 'db' }, { service: 'api', state: 'exited' }, { service: 'worker' }] };
    expect(planText(original, observed)).toContain(lines(
      '  start container demo-api-1 (exited)',
      '    waits for db: service_healthy',
    ));
  });

  it('removes orphans first with --remove-orphans, and only warns without it', () => {
    const observed: ObservedInputs = { ...allRunning(), containers: [...(allRunning().containers ?? []), { service: 'old' }] };
    expect(planText(original, observed, { removeOrphans: true })).toBe(lines(
      'Plan for project demo:',
      '  remove container demo-old-1 (orphan)',
      '  keep container demo-db-1 (running)',
      '  keep container demo-api-1 (running)',
      '  keep container demo-worker-1 (running)',
      'Summary: 1 to remove, 3 unchanged',
    ));
    expect(planText(original, observed)).toContain('warning: orphan containers (demo-old-1) belong to services not in the file; --remove-orphans removes them\n');
  });

  it('scales down by removing the highest-numbered containers', () => {
    const observed: ObservedInputs = { ...allRunning(), containers: [...(allRunning().containers ?? []), { service: 'api', number: 2 }] };
    expect(planText(original, observed)).toContain('  remove container demo-api-2 (scale down)\n');
  });

  it('gives machines the steps, the changes as data, and the raw operations', () => {
    const changed = stack({ environment: { VALUE: 'two' } });
    const state = buildObserved(changed, allRunning());
    const plan = planUp(changed, state, options());
    const json = JSON.parse(renderPlanJson(explainUpPlan(plan, { project: changed, observed: state }), plan)) as {
      steps: { action: string; name: string; changes?: unknown[] }[]; summary: string; operations: { id: string }[];
    };
    expect(json.steps[0]).toMatchObject({ action: 'recreate', name: 'demo-db-1', changes: [{ path: 'environment.VALUE', before: 'one', after: 'two' }] });
    expect(json.summary).toBe('2 to recreate, 1 unchanged');
    expect(json.operations.map((o) => o.id)).toContain('createContainer container:demo-db-1');
  });
});

describe('gantry down --dry-run', () => {
  const observed = buildObserved(original, allRunning());

  it('removes containers dependents first, then the network, and keeps named volumes', () => {
    const plan = planDown(observed, { dependencyOrder: { db: [], api: ['db'], worker: ['db'] } });
    expect(renderPlanText(explainDownPlan(plan, { project: 'demo', observed, removeVolumes: false }))).toBe(lines(
      'Plan for project demo:',
      '  remove container demo-api-1 (down)',
      '  remove container demo-worker-1 (down)',
      '  remove container demo-db-1 (down)',
      '  remove network demo_default (down)',
      '  keep volume demo_data (named volumes are kept; down -v removes them)',
      'Summary: 4 to remove, 1 unchanged',
    ));
  });

  it('with -v removes the volumes, and the containers\' anonymous volumes with them', () => {
    const plan = planDown(observed, { removeVolumes: true, dependencyOrder: { db: [], api: ['db'], worker: ['db'] } });
    const text = renderPlanText(explainDownPlan(plan, { project: 'demo', observed, removeVolumes: true }));
    expect(text).toContain('  remove container demo-db-1 (down, with its anonymous volumes)\n');
    expect(text).toContain('  remove volume demo_data (down -v)\n');
    expect(text).not.toContain('keep volume');
  });

  it('gives machines JSON: each container, network, volume (kept or removed) and --rmi image, with the raw operations', () => {
    const withImage = buildObserved(original, { ...allRunning(), containers: [{ service: 'db', createdFrom: oldDb }, { service: 'api', image: 'demo-api' }, { service: 'worker' }] });
    type DownJson = { project: string; steps: { action: string; kind: string; name: string; reason: string }[]; summary: string; operations: { id: string }[] };
    const json = (removeVolumes: boolean): DownJson => {
      const plan = planDown(withImage, { removeVolumes, rmi: 'local', dependencyOrder: { db: [], api: ['db'], worker: ['db'] } });
      return JSON.parse(renderPlanJson(explainDownPlan(plan, { project: 'demo', observed: withImage, removeVolumes }), plan)) as DownJson;
    };
    const kept = json(false);
    expect(kept.project).toBe('demo');
    expect(kept.steps.map((s) => `${s.action} ${s.kind} ${s.name}`)).toEqual([
      'remove container demo-api-1', 'remove container demo-worker-1', 'remove container demo-db-1',
      'remove image demo-api', 'remove network demo_default', 'keep volume demo_data',
    ]);
    expect(kept.steps.at(-1)?.reason).toBe('named volumes are kept; down -v removes them');
    expect(kept.summary).toBe('5 to remove, 1 unchanged');
    expect(kept.operations.map((o) => o.id)).toContain('removeImage image:demo-api');
    const removed = json(true);
    expect(removed.steps.filter((s) => s.kind === 'volume')).toEqual([{ action: 'remove', kind: 'volume', name: 'demo_data', reason: 'down -v' }]);
  });

  it('for some services only, keeps the network and says why the volumes stay', () => {
    const plan = planDown(observed, { services: ['worker'] });
    expect(renderPlanText(explainDownPlan(plan, { project: 'demo', observed, removeVolumes: false, services: ['worker'] }))).toBe(lines(
      'Plan for project demo:',
      '  remove container demo-worker-1 (down)',
      '  keep volume demo_data (down of some services keeps volumes)',
      'Summary: 1 to remove, 1 unchanged',
    ));
  });
});
