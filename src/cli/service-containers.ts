// Which containers a service-scoped command acts on (start, stop, exec, top, port…), found by
// labels so they work with `-p NAME` and no file; service names are checked against the file
// when there is one, else against the services that have containers.
import { UsageError } from '../errors.js';
import type { ContainerSummary, Engine } from '../engine/engine.js';
import { LABEL, projectFilter } from '../plan/labels.js';
import { checkServices } from './commands/up.js';
import type { GlobalOptions } from './options.js';
import { connectEngine, resolveTarget, type ProjectTarget } from './session.js';

export interface ContainerQuery {
  /** Only these services. @default every service */
  readonly services?: readonly string[];
  /** Include stopped containers. @default false */
  readonly all?: boolean;
  /** Include `run` containers. @default false */
  readonly oneoff?: boolean;
}

/** The project's containers, sorted by service then container number. */
export async function listProjectContainers(engine: Engine, project: string, query: ContainerQuery = {}): Promise<ContainerSummary[]> {
  const containers = await engine.listContainers(projectFilter(project), { all: query.all === true });
  return containers
    .filter((c) => query.oneoff === true || !isOneOff(c))
    .filter((c) => query.services === undefined || query.services.length === 0 || query.services.includes(serviceOf(c)))
    .sort(compareContainers);
}

/** Unknown names are a usage error: against the file when loaded, else against the labels seen. */
export function checkServiceNames(target: ProjectTarget, services: readonly string[], known: readonly ContainerSummary[]): void {
  if (services.length === 0) return;
  if (target.loaded !== undefined) {
    checkServices(target.loaded.project, services);
    return;
  }
  const present = new Set(known.map(serviceOf));
  const unknown = services.filter((s) => !present.has(s));
  if (unknown.length > 0) {
    const hint = present.size > 0 ? `services with containers in project "${target.name}": ${[...present].sort().join(', ')}` : `project "${target.name}" has no containers`;
    throw new UsageError(`no such service: ${unknown.join(', ')}`, { hint });
  }
}

export function serviceOf(c: ContainerSummary): string {
  return c.labels[LABEL.service] ?? '';
}

export function numberOf(c: ContainerSummary): number {
  return Number(c.labels[LABEL.containerNumber] ?? 0) || 0;
}

export function isOneOff(c: ContainerSummary): boolean {
  return (c.labels[LABEL.oneoff] ?? '').toLowerCase() === 'true';
}

export function compareContainers(a: ContainerSummary, b: ContainerSummary): number {
  const sa = serviceOf(a);
  const sb = serviceOf(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  return numberOf(a) - numberOf(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/**
 * The container `exec` and `port` address: the service's running container with `--index`
 * (default: the lowest number), as compose's getSpecifiedContainer picks it.
 */
export function pickContainer(containers: readonly ContainerSummary[], service: string, index: number | undefined): ContainerSummary {
  const candidates = containers.filter((c) => serviceOf(c) === service && !isOneOff(c) && c.state === 'running');
  const found = index === undefined ? candidates[0] : candidates.find((c) => numberOf(c) === index);
  if (found !== undefined) return found;
  if (index !== undefined && candidates.length > 0) throw new UsageError(`service "${service}" is not running container #${index}`, { hint: `running: ${candidates.map((c) => `#${numberOf(c)}`).join(', ')}` });
  throw new UsageError(`service "${service}" is not running`, { hint: `start it with gantry up -d ${service}` });
}

/** The engine and the one running container a command for `service` (with `--index`) acts on. */
export async function findServiceContainer(global: GlobalOptions, service: string, indexFlag: string | undefined): Promise<{ engine: Engine; container: ContainerSummary }> {
  const index = parseIndex(indexFlag);
  const target = resolveTarget(global, [service]);
  const engine = await connectEngine();
  const containers = await listProjectContainers(engine, target.name, { all: true });
  checkServiceNames(target, [service], containers);
  return { engine, container: pickContainer(containers, service, index) };
}

export function parseIndex(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`invalid --index "${value}"`, { hint: 'give the container number, 1 or more' });
  return Number(value);
}
