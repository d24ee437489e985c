// `up --wait` readiness against the in-memory engine: healthy and running containers and clean
// one-shots are ready; unhealthy, failed and slow ones are all named, with why.
import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import { executePlan } from '../../src/engine/execute.js';
import { observe } from '../../src/engine/observe.js';
import { awaitReady, NotReadyError, plannedContainerNames } from '../../src/engine/ready.js';
import type { Clock } from '../../src/engine/wait.js';
import { createRecordingSink } from '../../src/events/events.js';
import { planUp } from '../../src/plan/plan.js';
import { createFakeEngine, type FakeEngine, type FakeEngineOptions } from '../support/fake-engine.js';
import { buildProject, type ServiceInput } from '../support/project-builder.js';

const healthcheck = { test: ['CMD', 'true'], disable: false } as const;

async function upAndWait(services: Record<string, ServiceInput>, options: FakeEngineOptions, extra: { clock?: Clock; timeoutMs?: number } = {}) {
  const engine: FakeEngine = createFakeEngine({ images: ['busybox'], ...options });
  const project = buildProject({ services });
  const plan = planUp(project, await observe(engine, project.name), { imagesPresent: new Set(['busybox']) });
  await executePlan(plan, { engine, project });
  // The fake's one-shots exit and healthchecks report one turn after start.
  await new Promise((resolve) => setImmediate(resolve));
  const sink = createRecordingSink();
  const waiting = awaitReady({ engine, project: project.name, containers: plannedContainerNames(plan), sink, ...extra });
  return { engine, sink, waiting };
}

async function failureOf(promise: Promise<unknown>): Promise<NotReadyError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof NotReadyError) return error;
    throw error;
  }
  throw new Error('expected NotReadyError');
}

describe('awaitReady', () => {
  it('accepts a healthy service, a running one without healthcheck and a one-shot that exited 0', async () => {
    const { sink, waiting } = await upAndWait(
      { api: { healthcheck }, cache: {}, migrate: {} },
      { healthOnStart: () => 'healthy', exitOnStart: ({ name }) => (name === 'demo-migrate-1' ? 0 : undefined) },
    );
    await waiting;
    const last = (id: string): string | undefined => sink.events.filter((e) => e.id === id).at(-1)?.text;
    expect([last('container:demo-api-1'), last('container:demo-cache-1'), last('container:demo-migrate-1')]).toEqual(['Healthy', 'Running', 'Exited']);
  });

  it('waits for a healthcheck that passes later', async () => {
    const { engine, waiting } = await upAndWait({ api: { healthcheck } }, {});
    await new Promise((resolve) => setImmediate(resolve));
    engine.setHealth('demo-api-1', 'healthy', 'ok');
    await waiting;
  });

  it('names every container that is not ready, with the last health output and exit codes', async () => {
    const { waiting } = await upAndWait(
      { api: { healthcheck }, job: {}, web: {} },
      { healthOnStart: () => 'unhealthy', exitOnStart: ({ name }) => (name === 'demo-job-1' ? 3 : undefined) },
    );
    const error = await failureOf(waiting);
    expect(error.message).toBe([
      'some services are not ready:',
      '  - container demo-api-1 is unhealthy: check failed',
      '  - container demo-job-1 exited with code 3',
    ].join('\n'));
  });

  it('gives up at the deadline and says so', async () => {
    let fire: () => void = () => undefined;
    const clock: Clock = { now: () => 0, sleep: () => new Promise<void>((resolve) => (fire = resolve)) };
    const { waiting } = await upAndWait({ api: { healthcheck } }, {}, { clock, timeoutMs: 3000 });
    await new Promise((resolve) => setImmediate(resolve));
    fire();
    const error = await failureOf(waiting);
    expect(error.message).toMatch(/^timed out after 3s \(--wait-timeout\) waiting for services to be ready:\n {2}- container demo-api-1 did not become healthy in time/);
  });
});

describe('awaitReady on Ctrl-C', () => {
  it('ends with InterruptedError (exit 130)', async () => {
    const controller = new AbortController();
    const engine = createFakeEngine({ images: ['busybox'] });
    const project = buildProject({ services: { api: { healthcheck } } });
    const plan = planUp(project, await observe(engine, project.name), { imagesPresent: new Set(['busybox']) });
    await executePlan(plan, { engine, project });
    const waiting = awaitReady({ engine, project: project.name, containers: plannedContainerNames(plan), sink: createRecordingSink(), signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(InterruptedError);
  });
});
