// `gantry graph`: the services, their dependency conditions, networks and volumes, as Mermaid or
// Graphviz DOT. A file with a depends_on cycle is still drawn, the loop marked, and a warning says so.
import { UsageError } from '../../errors.js';
import { loadProject } from '../../model/load.js';
import { buildProjectGraph, describeCycles } from '../../plan/project-graph.js';
import { renderGraph, type GraphFormat } from '../../ui/graph.js';
import { toLoadOptions, useColor, type GlobalOptions } from '../options.js';
import { printWarnings } from '../warnings.js';
import { checkServices } from './up.js';

export interface GraphOptions {
  readonly format?: string;
  readonly servicesOnly?: boolean;
}

/** `services` narrows the drawing to them and their dependencies, as `up web` selects them. */
export async function runGraph(global: GlobalOptions, options: GraphOptions, services: readonly string[] = []): Promise<void> {
  const format = parseGraphFormat(options.format);
  // Naming a service enables its profiles, as for `up`.
  const result = loadProject({ ...toLoadOptions(global, { services }), allowCycle: true });
  printWarnings(result.warnings, { color: useColor(global), cwd: process.cwd() });
  checkServices(result.project, services);
  const graph = buildProjectGraph(result.project, { servicesOnly: options.servicesOnly === true, services });
  process.stdout.write(renderGraph(graph, format));
  for (const cycle of describeCycles(graph)) {
    process.stderr.write(`WARN dependency cycle: ${cycle} (drawn, marked "cycle"); \`up\` refuses this file until one depends_on entry in the loop is removed\n`);
  }
}

function parseGraphFormat(value: string | undefined): GraphFormat {
  if (value === undefined || value === 'mermaid') return 'mermaid';
  if (value === 'dot') return 'dot';
  throw new UsageError(`unknown format "${value}"`, { hint: 'use --format mermaid or --format dot' });
}
