// `gantry config`: the fully resolved model (interpolated, merged, canonical) — what Gantry will do.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { UsageError } from '../../errors.js';
import { loadProject } from '../../model/load.js';
import { escapeDollars, orderModel } from '../../model/serialize.js';
import { nearest } from '../../model/suggest.js';
import type { Project } from '../../model/types.js';
import { toLoadOptions, useColor, type GlobalOptions } from '../options.js';
import { printHints } from '../hints.js';
import { printWarnings } from '../warnings.js';

export interface ConfigOptions {
  readonly format?: string;
  readonly quiet?: boolean;
  readonly services?: boolean;
  readonly volumes?: boolean;
  readonly networks?: boolean;
  readonly images?: boolean;
  readonly profiles?: boolean;
  readonly output?: string;
  /** Where each value came from, instead of the model. */
  readonly explain?: boolean;
}

export async function runConfig(global: GlobalOptions, options: ConfigOptions, serviceArgs: readonly string[]): Promise<void> {
  const format = options.format ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`unknown format "${format}"`, { hint: 'use --format yaml or --format json' });
  const loaded = loadProject(toLoadOptions(global, { services: serviceArgs }));
  const { project, warnings, profiles } = loaded;
  printWarnings(warnings, { color: useColor(global), cwd: process.cwd() });
  printHints(global, loaded);
  checkServiceNames(project, serviceArgs);
  if (options.quiet) return;
  const text = options.explain ? (await import('../explain.js')).renderExplain(global, loaded, format, serviceArgs) : options.profiles ? profiles.map((p) => `${p}\n`).join('') : renderConfig(project, options, format, serviceArgs);
  if (options.output) writeFileSync(options.output, text);
  else process.stdout.write(text);
}

function renderConfig(project: Project, options: ConfigOptions, format: 'yaml' | 'json', serviceArgs: readonly string[]): string {
  const lines = (items: Iterable<string>): string => [...items].map((i) => `${i}\n`).join('');
  if (options.services) return lines(Object.keys(project.services));
  if (options.volumes) return lines(Object.keys(project.volumes));
  if (options.networks) return lines(Object.keys(project.networks));
  if (options.images) return lines(Object.values(project.services).map((s) => s.image));
  return formatModel(project, format, serviceArgs);
}

/** The model as `config` prints it (and as it must load again, to the same model). */
export function formatModel(project: Project, format: 'yaml' | 'json', serviceArgs: readonly string[] = []): string {
  const model = escapeDollars(selectServices(project, serviceArgs));
  return format === 'json' ? `${JSON.stringify(model, null, 2)}\n` : stringify(model, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** `gantry config web db` prints only those services (and everything top-level). */
function selectServices(project: Project, names: readonly string[]): Record<string, unknown> {
  const ordered = orderModel(project.model);
  if (names.length === 0) return ordered;
  const services = ordered.services as Record<string, unknown>;
  return { ...ordered, services: Object.fromEntries(names.map((n) => [n, services[n]])) };
}

/** Every name given on the command line must be a service of the file. */
function checkServiceNames(project: Project, names: readonly string[]): void {
  const known = Object.keys(project.services);
  const unknown = names.filter((n) => !Object.hasOwn(project.services, n));
  if (unknown.length === 0) return;
  const guess = unknown.length === 1 ? nearest(unknown[0] ?? '', known) : undefined;
  const hint = guess !== undefined ? `did you mean "${guess}"?` : `the services are: ${known.join(', ') || '(none)'}`;
  throw new UsageError(`no such service: ${unknown.join(', ')}`, { hint });
}
