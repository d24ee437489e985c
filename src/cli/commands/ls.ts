// `gantry ls`: the compose projects on this engine, from container labels (any tool's projects).
import { UsageError } from '../../errors.js';
import { LABEL } from '../../plan/labels.js';
import { groupStacks, renderStacks, toStacksJson } from '../../ui/listing.js';
import { connectEngine } from '../session.js';

export interface LsOptions {
  readonly all?: boolean;
  readonly quiet?: boolean;
  readonly format?: string;
  readonly filter?: readonly string[];
}

export async function runLs(options: LsOptions): Promise<void> {
  const format = options.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`unknown format "${format}"`, { hint: 'use --format table or --format json' });
  const names = parseNameFilters(options.filter ?? []);
  const engine = await connectEngine();
  const containers = await engine.listContainers({ [LABEL.project]: '' }, { all: options.all === true });
  const stacks = groupStacks(containers).filter((s) => names.length === 0 || names.some((n) => s.name.includes(n)));
  if (options.quiet === true) return void process.stdout.write(stacks.map((s) => `${s.name}\n`).join(''));
  if (format === 'json') return void process.stdout.write(`${JSON.stringify(toStacksJson(stacks))}\n`);
  process.stdout.write(renderStacks(stacks));
}

/** `--filter name=demo` (the only filter compose accepts), repeatable. */
function parseNameFilters(filters: readonly string[]): string[] {
  return filters.map((filter) => {
    const match = /^name=(.*)$/.exec(filter);
    if (match === null) throw new UsageError(`invalid --filter "${filter}"`, { hint: 'only name=VALUE is supported' });
    return match[1] ?? '';
  });
}
