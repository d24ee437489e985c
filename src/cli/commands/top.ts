// `gantry top [SERVICE…]`: the processes of the project's running containers, one table.
import type { GlobalOptions } from '../options.js';
import { checkServiceNames, listProjectContainers, numberOf, serviceOf } from '../service-containers.js';
import { connectEngine, resolveTarget } from '../session.js';
import { renderTop } from '../../ui/listing.js';

export async function runTop(global: GlobalOptions, services: readonly string[]): Promise<void> {
  const target = resolveTarget(global, services);
  const engine = await connectEngine();
  const all = await listProjectContainers(engine, target.name, { all: true });
  checkServiceNames(target, services, all);
  const running = all
    .filter((c) => c.state === 'running' && (services.length === 0 || services.includes(serviceOf(c))))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const tables = await Promise.all(running.map((c) => engine.listProcesses(c.id)));
  process.stdout.write(renderTop(running.map((c, i) => ({ service: serviceOf(c), replica: String(numberOf(c)), table: tables[i] ?? { titles: [], processes: [] } }))));
}
