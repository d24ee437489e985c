// `start`, `stop`, `restart`, `kill`, `pause`, `unpause` and `rm`: one action on the project's
// service containers (found by labels, so `-p NAME` works without a file), in dependency order:
// dependencies first for start/restart/unpause, dependents first for stop/kill/pause.
import { UsageError } from '../../errors.js';
import type { ContainerSummary, Engine } from '../../engine/engine.js';
import type { LifecycleAction } from '../../engine/lifecycle.js';
import type { Dependency } from '../../model/types.js';
import { LABEL } from '../../plan/labels.js';
import { edgesFromProject, orderWaves, parseDependsOnConditions } from '../../plan/lifecycle-order.js';
import { parseDependsOnLabel } from '../../plan/observed.js';
import { effectiveDependencies } from '../../plan/graph.js';
import type { ProgressView } from '../../ui/view.js';
import type { GlobalOptions } from '../options.js';
import { awaitDependencies } from '../prerequisites.js';
import { checkServiceNames, listProjectContainers, serviceOf } from '../service-containers.js';
import { connectEngine, openView, resolveTarget, withInterrupt, type ProjectTarget } from '../session.js';
import { confirm } from '../terminal.js';
import { parseTimeout } from './up.js';

export type ServiceAction = Exclude<LifecycleAction, 'remove'>;

export interface LifecycleCommandOptions {
  readonly timeout?: string;
  /** kill -s */
  readonly signal?: string;
}

export interface RmOptions {
  readonly force?: boolean;
  readonly stop?: boolean;
  readonly volumes?: boolean;
  readonly timeout?: string;
}

const ACTIVE = new Set(['running', 'paused', 'restarting']);

/** Which of a service's containers each action applies to. */
const APPLIES: Record<ServiceAction, (c: ContainerSummary) => boolean> = {
  start: (c) => c.state === 'created' || c.state === 'exited',
  stop: (c) => ACTIVE.has(c.state),
  restart: () => true,
  kill: (c) => c.state === 'running',
  pause: (c) => c.state === 'running',
  unpause: (c) => c.state === 'paused',
};

const FORWARD = new Set<ServiceAction>(['start', 'restart', 'unpause']);

export async function runServiceAction(global: GlobalOptions, action: ServiceAction, options: LifecycleCommandOptions, services: readonly string[]): Promise<void> {
  const timeoutSeconds = parseTimeout(options.timeout);
  const target = resolveTarget(global, services);
  await withInterrupt(async (signal) => {
    const engine = await connectEngine(signal);
    const all = await listProjectContainers(engine, target.name, { all: true });
    const containers = inScope(target, services, all);
    const chosen = containers.filter(APPLIES[action]);
    if (action === 'start') checkStartable(containers, chosen, services);
    if (action === 'kill' && chosen.length === 0) process.stderr.write('no container to kill\n');
    if (chosen.length === 0) return;
    const waves = toWaves(target, all, chosen, FORWARD.has(action) ? 'start' : 'stop');
    await withView(global, waves.flat(), async (view) => {
      const { applyLifecycle } = await import('../../engine/lifecycle.js');
      await applyLifecycle({
        engine, action, waves, sink: view, signal,
        ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
        ...(options.signal === undefined ? {} : { signalName: normalizeSignal(options.signal) }),
        ...(action === 'start' ? { beforeWave: (i: number) => awaitWave(engine, target, all, waves[i] ?? [], view, signal) } : {}),
      });
    });
  });
}

export async function runRm(global: GlobalOptions, options: RmOptions, services: readonly string[]): Promise<void> {
  const timeoutSeconds = parseTimeout(options.timeout);
  if (options.stop === true) await runServiceAction(global, 'stop', options.timeout === undefined ? {} : { timeout: options.timeout }, services);
  const target = resolveTarget(global, services);
  await withInterrupt(async (signal) => {
    const engine = await connectEngine(signal);
    const all = await listProjectContainers(engine, target.name, { all: true });
    const stopped = inScope(target, services, all).filter((c) => !ACTIVE.has(c.state));
    if (stopped.length === 0) return void process.stderr.write('No stopped containers\n');
    const message = `Going to remove ${stopped.map((c) => c.name).join(', ')}`;
    if (options.force === true) process.stdout.write(`${message}\n`);
    else if (!(await confirm(`${message}\nAre you sure?`))) return;
    await withView(global, stopped, async (view) => {
      const { applyLifecycle } = await import('../../engine/lifecycle.js');
      await applyLifecycle({ engine, action: 'remove', waves: [stopped], sink: view, signal, removeVolumes: options.volumes === true, ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }) });
    });
  });
}

/** The service containers in scope: named services, else the file's services, else all. */
function inScope(target: ProjectTarget, services: readonly string[], containers: readonly ContainerSummary[]): ContainerSummary[] {
  checkServiceNames(target, services, containers);
  const inFile = target.loaded === undefined ? undefined : new Set(Object.keys(target.loaded.project.services));
  return containers.filter((c) => (services.length > 0 ? services.includes(serviceOf(c)) : inFile === undefined || inFile.has(serviceOf(c))));
}

function checkStartable(containers: readonly ContainerSummary[], chosen: readonly ContainerSummary[], services: readonly string[]): void {
  const missing = services.find((s) => !containers.some((c) => serviceOf(c) === s));
  if (missing !== undefined) throw new UsageError(`service "${missing}" has no container to start`, { hint: `create it with gantry up -d ${missing}` });
  if (containers.length === 0 && chosen.length === 0) throw new UsageError('no containers to start', { hint: 'create them with gantry up -d' });
}

/** service → its dependencies, from the file when loaded, else from each container's depends_on label. */
function dependencyEdges(target: ProjectTarget, containers: readonly ContainerSummary[]): Record<string, string[]> {
  if (target.loaded !== undefined) return edgesFromProject(target.loaded.project);
  const edges: Record<string, string[]> = {};
  for (const c of containers) edges[serviceOf(c)] = [...new Set([...(edges[serviceOf(c)] ?? []), ...parseDependsOnLabel(c.labels[LABEL.dependsOn])])];
  return edges;
}

function toWaves(target: ProjectTarget, all: readonly ContainerSummary[], chosen: readonly ContainerSummary[], direction: 'start' | 'stop'): ContainerSummary[][] {
  const services = [...new Set(chosen.map(serviceOf))];
  return orderWaves(dependencyEdges(target, all), services, direction).map((wave) => chosen.filter((c) => wave.includes(serviceOf(c))));
}

/** Before a wave starts: the healthy/completed conditions its services declare, as `up` waits for them. */
async function awaitWave(engine: Engine, target: ProjectTarget, all: readonly ContainerSummary[], wave: readonly ContainerSummary[], view: ProgressView, signal: AbortSignal): Promise<void> {
  const present = new Set(all.map(serviceOf));
  for (const service of new Set(wave.map(serviceOf))) {
    await awaitDependencies({ engine, project: target.name, service, dependencies: dependenciesOf(target, all, service).filter((d) => present.has(d.service)), sink: view, signal });
  }
}

function dependenciesOf(target: ProjectTarget, all: readonly ContainerSummary[], service: string): Dependency[] {
  const fromFile = target.loaded?.project.services[service];
  if (fromFile !== undefined) return effectiveDependencies(fromFile);
  return parseDependsOnConditions(all.find((c) => serviceOf(c) === service)?.labels[LABEL.dependsOn]);
}

async function withView(global: GlobalOptions, containers: readonly ContainerSummary[], work: (view: ProgressView) => Promise<void>): Promise<void> {
  const view = await openView(global);
  view.start(containers.map((c) => ({ id: `container:${c.name}`, label: `Container ${c.name}` })));
  try {
    await work(view);
  } finally {
    await view.finish();
  }
}

/** `-s TERM`, `-s sigterm` and `-s 15` all work, as with docker kill. */
function normalizeSignal(value: string): string {
  const upper = value.trim().toUpperCase();
  if (/^\d+$/.test(upper)) return upper;
  return upper.startsWith('SIG') ? upper : `SIG${upper}`;
}
