// When images are built, as plans compared as text, and what a failing build stops (the executor
// against the in-memory engine).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executePlan, ExecutionError } from '../../src/engine/execute.js';
import { toBuildOptions } from '../../src/engine/build-step.js';
import { createRecordingSink } from '../../src/events/events.js';
import type { Build } from '../../src/model/types.js';
import { buildCause, planBuild } from '../../src/plan/plan-build.js';
import { formatPlan, planUp, type PlanUpOptions } from '../../src/plan/plan.js';
import { createFakeEngine } from '../support/fake-engine.js';
import { buildObserved } from '../support/observed-builder.js';
import { buildProject, buildService } from '../support/project-builder.js';

const contextDir = mkdtempSync(join(tmpdir(), 'gantry-plan-build-'));
writeFileSync(join(contextDir, 'Dockerfile'), 'FROM busybox\n');
afterAll(() => rmSync(contextDir, { recursive: true, force: true }));

function buildSection(overrides: Partial<Build> = {}): Build {
  return { context: contextDir, dockerfile: 'Dockerfile', args: {}, labels: {}, extraHosts: [], cacheFrom: [], noCache: false, pull: false, tags: [], platforms: [], ...overrides };
}

const lines = (...text: string[]): string => text.join('\n');
const project = buildProject({
  services: {
    db: { image: 'busybox' },
    app: { image: 'demo-app', build: buildSection(), dependsOn: ['db'] },
    worker: { image: 'demo-app' },
    web: { dependsOn: ['app'] },
  },
});
const up = (options: Partial<PlanUpOptions> = {}, present = ['busybox']): PlanUpOptions => ({ imagesPresent: new Set(present), ...options });
const buildsOf = (options: Partial<PlanUpOptions>, present?: string[], observed = buildObserved(project)): string[] =>
  planUp(project, observed, up(options, present)).operations.filter((op) => op.kind === 'buildImage').map((op) => `${op.id} (${op.cause})`);

describe('buildCause', () => {
  const app = buildService('app', { image: 'demo-app', build: buildSection() });
  it.each([
    ['missing image', app, [], 'missing', 'missing'],
    ['present image', app, ['demo-app:latest'], 'missing', undefined],
    ['--build', app, ['demo-app'], 'always', '--build'],
    ['--no-build', app, [], 'never', undefined],
    ['pull_policy: build', { ...app, pullPolicy: 'build' }, ['demo-app'], 'missing', 'pull_policy build'],
    ['no build section', buildService('db'), [], 'always', undefined],
  ] as const)('%s', (_name, service, present, mode, cause) => {
    expect(buildCause(service, new Set(present), mode)).toBe(cause);
  });
});

describe('planUp with build:', () => {
  it('builds a missing image before the containers that use it, and pulls nothing for it', () => {
    const plan = planUp(project, buildObserved(project), up());
    expect(formatPlan(plan)).toBe(lines(
      'buildImage service:app (missing)',
      'createNetwork network:demo_default (not found)',
      'createContainer container:demo-app-1 (not found)',
      '  after: buildImage service:app, createNetwork network:demo_default',
      'createContainer container:demo-db-1 (not found)',
      '  after: createNetwork network:demo_default',
      'createContainer container:demo-web-1 (not found)',
      '  after: createNetwork network:demo_default',
      'createContainer container:demo-worker-1 (not found)',
      '  after: buildImage service:app, createNetwork network:demo_default',
      'startContainer container:demo-db-1 (not found)',
      '  after: createContainer container:demo-db-1',
      'startContainer container:demo-worker-1 (not found)',
      '  after: createContainer container:demo-worker-1',
      'startContainer container:demo-app-1 (not found)',
      '  after: createContainer container:demo-app-1, startContainer container:demo-db-1',
      'startContainer container:demo-web-1 (not found)',
      '  after: createContainer container:demo-web-1, startContainer container:demo-app-1',
    ));
  });

  it('builds only when asked once the image exists, never with --no-build', () => {
    expect(buildsOf({}, ['busybox', 'demo-app'])).toEqual([]);
    expect(buildsOf({ build: 'always' }, ['busybox', 'demo-app'])).toEqual(['buildImage service:app (--build)']);
    expect(buildsOf({ build: 'never' }, ['busybox', 'demo-app'])).toEqual([]);
    expect(() => buildsOf({ build: 'never', services: ['app'] })).toThrow('service "app": image demo-app is not on the engine, and --no-build forbids building it');
    expect(buildsOf({ services: ['db'] })).toEqual([]);
  });

  it('recreates the containers of a rebuilt image only when the build gave another image id, unless --no-recreate', () => {
    const running = buildObserved(project, { containers: [{ service: 'db' }, { service: 'app' }, { service: 'worker' }, { service: 'web' }], networks: ['default'] });
    const creates = (options: Partial<PlanUpOptions>): string[] =>
      planUp(project, running, up({ build: 'always', ...options }, ['busybox', 'demo-app'])).operations.filter((op) => op.kind === 'createContainer').map((op) => `${op.resource} (${op.cause})`);
    // Before the build (and after one that changed nothing) the ids match: `up` decides again once it ran.
    expect(creates({ imageIds: new Map([['busybox', 'sha256:0'], ['demo-app', 'sha256:0']]) })).toEqual([]);
    expect(creates({ imageIds: new Map([['busybox', 'sha256:0'], ['demo-app', 'sha256:1']]) }))
      .toEqual(['container:demo-app-1 (image changed: sha256:0 → sha256:1)', 'container:demo-worker-1 (image changed: sha256:0 → sha256:1)']);
    expect(creates({ imageIds: new Map([['demo-app', 'sha256:1']]), noRecreate: true })).toEqual([]);
  });
});

describe('planBuild', () => {
  it('builds every service with build:, or the ones named, and rejects unknown names', () => {
    expect(formatPlan(planBuild(project))).toBe('buildImage service:app (build)');
    expect(planBuild(project, { services: ['db'] }).operations).toEqual([]);
    expect(() => planBuild(project, { services: ['nope'] })).toThrow('no such service: nope');
    const op = planBuild(project, { overrides: { noCache: true, buildArgs: { A: '1' } } }).operations[0];
    expect(op).toMatchObject({ kind: 'buildImage', image: 'demo-app', overrides: { noCache: true, buildArgs: { A: '1' } } });
  });
});

describe('executing builds', () => {
  it('starts independent services when a build fails, and none of those that need the image', async () => {
    const engine = createFakeEngine({ images: ['busybox'], failOn: [{ operation: 'buildImage', message: "The command '/bin/sh -c false' returned a non-zero code: 1" }] });
    const plan = planUp(project, buildObserved(project), up());
    const sink = createRecordingSink();
    const error = await executePlan(plan, { engine, project, sink }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecutionError);
    expect((error as Error).message).toMatch(/^service "app": could not buildImage demo-app: The command/);
    expect((error as Error).message).toContain('not started because of it: web, worker');
    expect(engine.container('demo-db-1')?.state).toBe('running');
    // web is created (its create waits for nothing), but never started; app and worker need the image.
    expect([...engine.containers.values()].map((c) => `${c.name} ${c.state}`).sort()).toEqual(['demo-db-1 running', 'demo-web-1 created']);
    expect(sink.events.find((e) => e.id === 'service:app' && e.status === 'error')).toBeDefined();
  });

  it('sends the context and reports the steps as events', async () => {
    const engine = createFakeEngine({ images: ['busybox'] });
    const sink = createRecordingSink();
    await executePlan(planBuild(project), { engine, project, sink });
    expect(engine.images.has('demo-app:latest')).toBe(true);
    const texts = sink.events.filter((e) => e.id === 'service:app').map((e) => `${e.text}${e.log === true ? ' (log)' : ''}: ${e.detail ?? ''}`);
    expect(texts[0]).toBe('Building: ');
    expect(texts[1]).toMatch(/^Building: Step 1\/1 : COPY \. \/ {2}\(\d+ bytes\)$/);
    expect(texts[2]).toBe('Building (log):  ---> 0123456789ab');
    expect(texts[3]).toMatch(/^Built: [0-9a-f]{12}$/);
  });
});

describe('toBuildOptions', () => {
  it('maps every build field, takes valueless args from the environment, and labels the image', () => {
    const build = buildSection({
      args: { A: '1', FROM_ENV: null, UNSET: null }, target: 'prod', labels: { team: 'x' }, network: 'host', extraHosts: ['db:10.0.0.2'],
      shmSize: 1024, cacheFrom: ['demo-app:cache'], noCache: true, pull: true, tags: ['demo-app', 'reg/app:1'], platforms: ['linux/amd64'],
    });
    const service = buildService('app', { image: 'demo-app', build });
    const options = toBuildOptions({ project, service, build, dockerfile: 'Dockerfile', overrides: { buildArgs: { A: '2' }, noCache: false }, env: { FROM_ENV: 'e' } });
    expect(options).toEqual({
      tags: ['demo-app', 'reg/app:1'], dockerfile: 'Dockerfile', buildArgs: { A: '2', FROM_ENV: 'e' }, target: 'prod',
      labels: { team: 'x', 'com.docker.compose.project': 'demo', 'com.docker.compose.service': 'app' },
      networkMode: 'host', extraHosts: ['db:10.0.0.2'], shmSize: 1024, cacheFrom: ['demo-app:cache'], noCache: false, pull: true, platform: 'linux/amd64',
    });
  });

  it('refuses several platforms: the classic builder makes one', () => {
    const build = buildSection({ platforms: ['linux/amd64', 'linux/arm64'] });
    const service = buildService('app', { build });
    expect(() => toBuildOptions({ project, service, build, dockerfile: 'Dockerfile', overrides: undefined, env: {} }))
      .toThrow('build.platforms lists 2 platforms (linux/amd64, linux/arm64), but the engine\'s classic builder builds one platform at a time');
  });
});
