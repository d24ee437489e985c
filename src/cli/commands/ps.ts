// `gantry ps`: the project's containers, as a table or one JSON object per line (compose v2's
// format), from labels alone: with -p (and no -f) it does not even read the file, as compose v2.
import { UsageError } from '../../errors.js';
import type { ContainerDetails, ContainerSummary, Engine } from '../../engine/engine.js';
import { LABEL, projectFilter } from '../../plan/labels.js';
import { renderPsTable, toPsJson, toPsRow } from '../../ui/table.js';
import type { GlobalOptions } from '../options.js';
import { engineWithoutPing, nameFromFlag, resolveTargetName } from '../session.js';

export interface PsOptions {
  readonly all?: boolean;
  readonly quiet?: boolean;
  readonly services?: boolean;
  readonly status?: readonly string[];
  readonly format?: string;
}

const STATES = ['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited'];

export async function runPs(global: GlobalOptions, options: PsOptions, services: readonly string[]): Promise<void> {
  const format = options.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`unknown format "${format}"`, { hint: 'use --format table or --format json' });
  for (const status of options.status ?? []) {
    if (!STATES.includes(status)) throw new UsageError(`invalid --status "${status}"`, { hint: `use one of: ${STATES.join(', ')}` });
  }
  // With -p the list can be on its way while the file is read (synchronous work): the engine
  // answers in the meantime. Its failure, or an unusable DOCKER_HOST, is reported after the
  // file's problems: the engine is made on first use and the list's outcome settled.
  let made: Promise<Engine> | undefined;
  const engineNow = (): Promise<Engine> => (made ??= engineWithoutPing());
  const list = async (name: string): Promise<ContainerSummary[]> => (await engineNow()).listContainers(projectFilter(name), { all: true });
  const early = nameFromFlag(global);
  const listing = early === undefined ? undefined : settle(list(early));
  if (listing !== undefined) await new Promise((resolve) => setImmediate(resolve));
  const target = resolveTargetName(global);
  const listed = listing !== undefined && early === target.name ? await listing : await settle(list(target.name));
  if (!listed.ok) throw listed.error;
  const containers = listed.value
    .filter((c) => c.labels[LABEL.oneoff] !== 'True')
    .filter((c) => services.length === 0 || services.includes(c.labels[LABEL.service] ?? ''))
    .filter((c) => (options.status?.length ? options.status.includes(c.state) : options.all || c.state === 'running'))
    .sort(byServiceAndNumber);
  if (options.quiet) return void process.stdout.write(containers.map((c) => `${c.id}\n`).join(''));
  if (options.services) return void process.stdout.write([...new Set(containers.map((c) => c.labels[LABEL.service] ?? ''))].map((s) => `${s}\n`).join(''));
  const details = await inspectAll(await engineNow(), containers, format === 'json');
  const now = new Date();
  if (format === 'json') {
    process.stdout.write(containers.map((c, i) => `${JSON.stringify(toPsJson(c, details[i], now))}\n`).join(''));
    return;
  }
  process.stdout.write(renderPsTable(containers.map((c, i) => toPsRow(c, now, details[i]))));
}

/**
 * Health and exit codes come only from inspect: JSON needs them for every container, the table
 * only where the engine gave no status text (which already says "Up 2 minutes (healthy)").
 * Asked for all at once.
 */
async function inspectAll(engine: Engine, containers: readonly ContainerSummary[], all: boolean): Promise<(ContainerDetails | undefined)[]> {
  return Promise.all(containers.map((c) => (all || c.status === '' ? engine.inspectContainer(c.id).catch(() => undefined) : undefined)));
}

/** A promise that never rejects, so one started early cannot go unhandled while other work throws. */
function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return promise.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
}

function byServiceAndNumber(a: ContainerSummary, b: ContainerSummary): number {
  const sa = a.labels[LABEL.service] ?? '';
  const sb = b.labels[LABEL.service] ?? '';
  if (sa !== sb) return sa < sb ? -1 : 1;
  return Number(a.labels[LABEL.containerNumber] ?? 0) - Number(b.labels[LABEL.containerNumber] ?? 0);
}
