// The container follower against the in-memory engine: lines and exits per container, containers
// that start later (from start events), restarts resumed without repeating lines, and the abort.
import { describe, expect, it } from 'vitest';
import { executePlan } from '../../src/engine/execute.js';
import { createContainerFollower, toFollowed, type ContainerExit, type FollowContainersOptions } from '../../src/engine/follow.js';
import { observe } from '../../src/engine/observe.js';
import { LABEL } from '../../src/plan/labels.js';
import { planUp } from '../../src/plan/plan.js';
import { createFakeEngine, type FakeEngine } from '../support/fake-engine.js';
import { buildProject, type ServiceInput } from '../support/project-builder.js';

async function up(engine: FakeEngine, services: Record<string, ServiceInput>): Promise<void> {
  const project = buildProject({ services });
  const plan = planUp(project, await observe(engine, project.name), { imagesPresent: new Set(['busybox']) });
  await executePlan(plan, { engine, project });
}

interface Recorded {
  readonly lines: string[];
  readonly exits: string[];
  readonly errors: unknown[];
}

function startFollower(engine: FakeEngine, extra: Partial<FollowContainersOptions> = {}) {
  const controller = new AbortController();
  const seen: Recorded = { lines: [], exits: [], errors: [] };
  const follower = createContainerFollower({
    engine,
    project: 'demo',
    accept: (labels) => labels[LABEL.project] === 'demo',
    onLine: (c, stream, line) => seen.lines.push(`${c.name} ${stream} ${line}`),
    onExit: (c, exit: ContainerExit) => seen.exits.push(`${c.name} ${exit.exitCode}${exit.restarting ? ' restarting' : ''}`),
    onError: (_c, error) => seen.errors.push(error),
    signal: controller.signal,
    ...extra,
  });
  return { follower, seen, controller };
}

/** Resolves once `condition` holds, checking after each turn of the event loop (no timers). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('condition never held');
}

async function summary(engine: FakeEngine, name: string) {
  const [found] = (await engine.listContainers({}, { all: true })).filter((c) => c.name === name);
  if (found === undefined) throw new Error(`no container ${name}`);
  return toFollowed(found);
}

describe('createContainerFollower', () => {
  it('reads a container\'s stdout and stderr lines, then reports its exit and goes idle', async () => {
    const engine = createFakeEngine({ images: ['busybox'] });
    await up(engine, { web: {} });
    engine.printLog('demo-web-1', 'stdout', 'before');
    const { follower, seen } = startFollower(engine);
    follower.follow(await summary(engine, 'demo-web-1'));
    await until(() => seen.lines.length === 1);
    engine.printLog('demo-web-1', 'stderr', 'after');
    engine.exitContainer('demo-web-1', 3);
    await follower.whenIdle();
    expect(seen.lines).toEqual(['demo-web-1 stdout before', 'demo-web-1 stderr after']);
    expect(seen.exits).toEqual(['demo-web-1 3']);
    expect(follower.running).toBe(0);
  });

  it('begins where it is told: only the last lines with tail', async () => {
    const engine = createFakeEngine({ images: ['busybox'] });
    await up(engine, { web: {} });
    for (const line of ['one', 'two', 'three']) engine.printLog('demo-web-1', 'stdout', line);
    engine.exitContainer('demo-web-1', 0);
    const { follower, seen } = startFollower(engine);
    follower.follow(await summary(engine, 'demo-web-1'), { tail: 1 });
    await follower.whenIdle();
    expect(seen.lines).toEqual(['demo-web-1 stdout three']);
  });

  it('follows containers that start after it subscribed, with the start chosen for them', async () => {
    const engine = createFakeEngine({ images: ['busybox'] });
    const { follower, seen, controller } = startFollower(engine, { startOf: () => ({}) });
    const watching = follower.watchStarts();
    await up(engine, { db: {}, web: { dependsOn: ['db'] } });
    await until(() => follower.running === 2);
    engine.printLog('demo-web-1', 'stdout', 'web line');
    engine.exitContainer('demo-db-1', 0);
    engine.exitContainer('demo-web-1', 1);
    await follower.whenIdle();
    expect(seen.lines).toEqual(['demo-web-1 stdout web line']);
    expect(seen.exits.sort()).toEqual(['demo-db-1 0', 'demo-web-1 1']);
    controller.abort();
    await watching;
  });

  it('ignores containers it does not accept', async () => {
    const engine = createFakeEngine({ images: ['busybox'] });
    const { follower, controller } = startFollower(engine, { accept: (labels) => labels[LABEL.service] === 'web' });
    const watching = follower.watchStarts();
    await up(engine, { db: {}, web: {} });
    await until(() => follower.running === 1);
    expect(engine.calls.filter((c) => c.operation === 'containerLogs').map((c) => c.resource)).not.toContain('demo-db-1');
    controller.abort();
    await watching;
  });

  it('resumes a restarted container after its last run, without repeating lines', async () => {
    const engine = createFakeEngine({ images: ['busybox'] });
    await up(engine, { web: {} });
    const { follower, seen, controller } = startFollower(engine);
    const watching = follower.watchStarts();
    follower.follow(await summary(engine, 'demo-web-1'));
    engine.printLog('demo-web-1', 'stdout', 'first run');
    engine.exitContainer('demo-web-1', 0);
    await follower.whenIdle();
    await engine.startContainer('demo-web-1');
    await until(() => follower.running === 1);
    engine.printLog('demo-web-1', 'stdout', 'second run');
    engine.exitContainer('demo-web-1', 2);
    await until(() => seen.exits.length === 2);
    await follower.whenIdle();
    expect(seen.lines).toEqual(['demo-web-1 stdout first run', 'demo-web-1 stdout second run']);
    expect(seen.exits).toEqual(['demo-web-1 0', 'demo-web-1 2']);
    controller.abort();
    await watching;
  });

  it('only awaits the exit of a container whose logs are not shown', async () => {
    const engine = createFakeEngine({ images: ['busybox'] });
    await up(engine, { job: {} });
    const { follower, seen } = startFollower(engine, { showLogs: () => false });
    follower.follow(await summary(engine, 'demo-job-1'));
    engine.printLog('demo-job-1', 'stdout', 'unseen');
    engine.exitContainer('demo-job-1', 0);
    await follower.whenIdle();
    expect(seen.lines).toEqual([]);
    expect(seen.exits).toEqual(['demo-job-1 0']);
    expect(engine.calls.some((c) => c.operation === 'containerLogs')).toBe(false);
  });

  it('ends quietly on abort: idle, no exits, no errors', async () => {
    const engine = createFakeEngine({ images: ['busybox'] });
    await up(engine, { web: {} });
    const { follower, seen, controller } = startFollower(engine);
    follower.follow(await summary(engine, 'demo-web-1'));
    await until(() => engine.calls.some((c) => c.operation === 'containerLogs' && c.ok === true));
    controller.abort();
    await follower.whenIdle();
    expect(seen.exits).toEqual([]);
    expect(seen.errors).toEqual([]);
  });

  it('counts a container removed under it as ended, without an error', async () => {
    const engine = createFakeEngine({ images: ['busybox'] });
    await up(engine, { web: {} });
    const { follower, seen } = startFollower(engine);
    follower.follow(await summary(engine, 'demo-web-1'));
    await until(() => engine.calls.some((c) => c.operation === 'containerLogs' && c.ok === true));
    await engine.removeContainer('demo-web-1', { force: true });
    await follower.whenIdle();
    expect(seen.errors).toEqual([]);
    expect(follower.running).toBe(0);
  });
});
