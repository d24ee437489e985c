// `up` pulls and builds first and only then decides which containers to recreate, against the
// in-memory engine: the image stage, the second plan, and failures reported as in one run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectImages, runImageStage } from '../../src/cli/up-images.js';
import { executePlan, ExecutionError } from '../../src/engine/execute.js';
import { observe } from '../../src/engine/observe.js';
import { nullSink } from '../../src/events/events.js';
import type { Project } from '../../src/model/types.js';
import type { ImageIds } from '../../src/plan/image-change.js';
import { imageStage } from '../../src/plan/image-stage.js';
import { formatPlan, planUp, type Plan, type PlanUpOptions } from '../../src/plan/plan.js';
import { createFakeEngine, type FakeEngine, type FakeEngineOptions } from '../support/fake-engine.js';
import { buildProject, type ServiceInput } from '../support/project-builder.js';

const contextDir = mkdtempSync(join(tmpdir(), 'gantry-up-images-'));
writeFileSync(join(contextDir, 'Dockerfile'), 'FROM busybox\n');
afterAll(() => rmSync(contextDir, { recursive: true, force: true }));
const build = { context: contextDir, dockerfile: 'Dockerfile', args: {}, labels: {}, extraHosts: [], cacheFrom: [], noCache: false, pull: false, tags: [], platforms: [] };

const signal = new AbortController().signal;

/** Runs `up` as the command does: plan, image stage, second plan, converge. Returns the second plan. */
async function up(project: Project, engine: FakeEngine, options: Partial<PlanUpOptions> = {}): Promise<Plan> {
  const images = Object.values(project.services).map((s) => s.image);
  const [observed, imageIds] = await Promise.all([observe(engine, project.name), inspectImages(engine, images, signal)]);
  const planWith = (ids: ImageIds): Plan => planUp(project, observed, { imagesPresent: new Set(imageIds.keys()), imageIds: ids, ...options });
  const converge = await runImageStage({ engine, project, plan: planWith(imageIds), imageIds, replan: planWith, sink: nullSink, signal });
  await executePlan(converge.plan, { engine, project, signal, settled: converge.settled });
  return converge.plan;
}

/** A running stack on a fake engine whose `image` gets a new id once pulled. */
async function runningStack(services: Record<string, ServiceInput>, options: FakeEngineOptions & { movedByPull?: string } = {}): Promise<{ project: Project; engine: FakeEngine }> {
  const project = buildProject({ services });
  const engine = createFakeEngine({ images: ['busybox', 'app:1'], ...options });
  await up(project, engine);
  const moved = options.movedByPull;
  if (moved !== undefined) {
    const inspect = engine.inspectImage.bind(engine);
    engine.inspectImage = async (ref, o) => {
      const details = await inspect(ref, o);
      const pulled = engine.calls.some((c) => c.operation === 'pullImage' && c.resource === moved);
      return details !== undefined && ref === moved && pulled ? { ...details, id: `sha256:${'f'.repeat(64)}` } : details;
    };
  }
  engine.resetCalls();
  return { project, engine };
}

const creates = (plan: Plan): string[] => plan.operations.flatMap((op) => (op.kind === 'createContainer' ? [`${op.name} (${op.cause})`] : []));

describe('up: images first, then the containers', () => {
  it('recreates the containers of an image the pull moved, and pulls it once', async () => {
    const { project, engine } = await runningStack({ app: { image: 'app:1', pullPolicy: 'always' }, other: {} }, { movedByPull: 'app:1' });
    const plan = await up(project, engine);
    expect(creates(plan)).toEqual([`demo-app-1 (image changed: sha256:app:1 → sha256:${'f'.repeat(12)}…)`]);
    expect(engine.calls.filter((c) => c.operation === 'pullImage').map((c) => c.resource)).toEqual(['app:1']);
    expect(engine.container('demo-app-1')?.state).toBe('running');
    expect(formatPlan(plan)).toContain('keepContainer container:demo-other-1 (running)');
  });

  it('keeps the containers when the pull or the build leaves the same image', async () => {
    const pulled = await runningStack({ app: { image: 'app:1', pullPolicy: 'always' } });
    expect(creates(await up(pulled.project, pulled.engine))).toEqual([]);
    expect(pulled.engine.calls.map((c) => c.operation)).toContain('pullImage');

    const built = await runningStack({ app: { image: 'app:1', build } });
    expect(creates(await up(built.project, built.engine, { build: 'always' }))).toEqual([]);
    expect(built.engine.calls.map((c) => c.operation)).toContain('buildImage');
  });

  it('fails only the services that need an image that could not be pulled, naming them as one run would', async () => {
    const project = buildProject({ services: { app: { image: 'nope:1' }, web: { dependsOn: ['app'] }, other: {} } });
    const engine = createFakeEngine({ images: ['busybox'], registry: ['busybox'] });
    const error = await up(project, engine).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecutionError);
    expect((error as Error).message).toMatch(/^service "app": could not pullImage nope:1: pull access denied .*\(not started because of it: web\)$/);
    expect(engine.container('demo-other-1')?.state).toBe('running');
    expect(engine.container('demo-app-1')).toBeUndefined();
    expect(engine.calls.filter((c) => c.operation === 'pullImage')).toHaveLength(1);
  });

  it('runs nothing first when the plan neither pulls nor builds', () => {
    const project = buildProject({ services: { app: { image: 'app:1', pullPolicy: 'always' }, other: {} } });
    const plan = planUp(project, { containers: [], networks: [], volumes: [] }, { imagesPresent: new Set(['busybox', 'app:1']) });
    expect(imageStage(plan)?.operations.map((op) => `${op.id} after [${op.dependsOn.join(', ')}]`)).toEqual(['pullImage image:app:1 after []']);
    expect(imageStage(planUp(project, { containers: [], networks: [], volumes: [] }, { imagesPresent: new Set(['busybox', 'app:1']), pull: 'never' }))).toBeUndefined();
  });
});
