// `gantry port SERVICE PRIVATE_PORT`: the host address a container port is published on.
import { GantryError, UsageError } from '../../errors.js';
import type { GlobalOptions } from '../options.js';
import { findServiceContainer } from '../service-containers.js';

export interface PortOptions {
  readonly protocol?: string;
  readonly index?: string;
}

export async function runPort(global: GlobalOptions, options: PortOptions, service: string, privatePort: string): Promise<void> {
  if (!/^\d+$/.test(privatePort) || Number(privatePort) < 1 || Number(privatePort) > 65535) {
    throw new UsageError(`invalid port "${privatePort}"`, { hint: 'give the container port, e.g. gantry port web 80' });
  }
  const protocol = (options.protocol ?? 'tcp').toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(protocol)) throw new UsageError(`invalid --protocol "${options.protocol ?? ''}"`, { hint: 'use tcp, udp or sctp' });
  const { engine, container } = await findServiceContainer(global, service, options.index);
  const port = Number(privatePort);
  // IPv4 first: the engine lists `[::]` bindings next to `0.0.0.0` ones.
  const published = container.ports
    .filter((p) => p.targetPort === port && p.protocol === protocol && p.publishedPort > 0)
    .sort((a, b) => Number((a.url ?? '').includes(':')) - Number((b.url ?? '').includes(':')))[0];
  if (published === undefined) throw new GantryError(`no port ${port}/${protocol} for container ${container.name}`, { hint: 'is it published under ports: in the compose file?' });
  const host = published.url ?? '0.0.0.0';
  process.stdout.write(`${host.includes(':') ? `[${host}]` : host}:${published.publishedPort}\n`);
}
