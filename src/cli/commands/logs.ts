// `gantry logs`: the output of the project's containers, from labels alone (works with -p and no
// file). With -f it keeps following until Ctrl-C (exit 130, as docker compose does), through
// containers that stop, restart, or are recreated: their new containers are picked up from the
// engine's start events, so `logs -f` in one terminal survives `up` in another.
import { EngineError, UsageError } from '../../errors.js';
import type { ContainerSummary, Engine, Labels, LogOptions } from '../../engine/engine.js';
import { createContainerFollower, toFollowed, type ContainerFollower, type FollowedContainer } from '../../engine/follow.js';
import { toEngineTimestamp, type LogStream } from '../../engine/logs.js';
import { LABEL } from '../../plan/labels.js';
import { createLogFormatter, createLogPrinter, displayName, type LogFormatter, type LogPrinter } from '../../ui/log-view.js';
import { printExited, printLogEnded } from '../log-status.js';
import { useColor, type GlobalOptions } from '../options.js';
import { connectEngine, resolveTarget } from '../session.js';
import { checkServices } from './up.js';

export interface LogsOptions {
  readonly follow?: boolean;
  readonly tail?: string;
  readonly since?: string;
  readonly until?: string;
  readonly timestamps?: boolean;
  readonly logPrefix?: boolean;
  readonly color?: boolean;
  readonly index?: string;
}

interface LogsRequest {
  readonly tail?: number;
  readonly since?: string;
  readonly until?: string;
  readonly index?: number;
}

export async function runLogs(global: GlobalOptions, options: LogsOptions, services: readonly string[]): Promise<void> {
  const request = parseLogsOptions(options, Date.now());
  const target = resolveTarget(global);
  if (target.loaded !== undefined) checkServices(target.loaded.project, services);
  const accept = (labels: Labels): boolean =>
    labels[LABEL.project] === target.name &&
    labels[LABEL.oneoff] !== 'True' &&
    (services.length === 0 || services.includes(labels[LABEL.service] ?? '')) &&
    (request.index === undefined || labels[LABEL.containerNumber] === String(request.index));
  const engine = await connectEngine();
  const containers = (await engine.listContainers({ [LABEL.project]: target.name }, { all: true })).filter((c) => accept(c.labels)).sort(byServiceAndNumber);
  const formatter = createLogFormatter({ color: options.color !== false && useColor(global, process.stdout), prefix: options.logPrefix !== false });
  const printer = createLogPrinter({ stdout: process.stdout, stderr: process.stderr });
  const print = (c: FollowedContainer, stream: LogStream, line: string): void => {
    printer.write(stream, formatter.formatLine(displayName(target.name, c), c.service, line));
  };
  for (const c of containers.map(toFollowed)) formatter.register(displayName(target.name, c), c.service);
  const { index: _index, ...range } = request;
  const logOptions = { timestamps: options.timestamps === true, ...range };
  if (options.follow !== true) {
    // A container removed since it was listed simply has nothing more to show.
    const gone = (error: unknown): void => {
      if (!(error instanceof EngineError && error.statusCode === 404)) throw error;
    };
    await Promise.all(containers.map((c) => engine.containerLogs(c.id, logOptions, (stream, line) => print(toFollowed(c), stream, line)).catch(gone)));
    return;
  }
  process.exitCode = await followLogs({ engine, project: target.name, containers, accept, print, logOptions, formatter, printer });
}

export interface FollowLogsContext {
  readonly engine: Engine;
  readonly project: string;
  readonly containers: readonly ContainerSummary[];
  readonly accept: (labels: Labels) => boolean;
  readonly print: (c: FollowedContainer, stream: LogStream, line: string) => void;
  readonly logOptions: { readonly timestamps: boolean; readonly tail?: number; readonly since?: string; readonly until?: string };
  readonly formatter: LogFormatter;
  readonly printer: LogPrinter;
}

/** Follows until Ctrl-C or SIGTERM (resolves 130) or until the engine's event stream fails. */
async function followLogs(context: FollowLogsContext): Promise<number> {
  const controller = new AbortController();
  const { tail, since, until, timestamps } = context.logOptions;
  const follower = createLogsFollower(context, { timestamps, ...(until === undefined ? {} : { until }) }, controller.signal);
  const interrupted = new Promise<number>((resolve) => {
    const onSignal = (): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      controller.abort();
      resolve(130);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  // Subscribed before the first reads, so a container recreated meanwhile is not missed.
  const watching = follower.watchStarts().then(() => 130);
  const start = { ...(tail === undefined ? {} : { tail }), ...(since === undefined ? {} : { since }) };
  for (const c of context.containers) follower.follow(toFollowed(c), start);
  try {
    return await Promise.race([interrupted, watching]);
  } finally {
    controller.abort();
  }
}

/** The follower `logs -f` reads with: lines, and as attached `up` does, a line when a container exits. */
export function createLogsFollower(context: FollowLogsContext, logOptions: Pick<LogOptions, 'timestamps' | 'until'>, signal: AbortSignal): ContainerFollower {
  const status = { project: context.project, formatter: context.formatter, printer: context.printer };
  return createContainerFollower({
    engine: context.engine,
    project: context.project,
    accept: context.accept,
    logOptions,
    onLine: context.print,
    onExit: (c, exit) => printExited(status, c, exit),
    onError: (c, error) => printLogEnded(status, c, error),
    signal,
  });
}

export function parseLogsOptions(options: LogsOptions, nowMs: number): LogsRequest {
  const tail = options.tail === undefined || options.tail === 'all' || options.tail === '-1' ? undefined : Number(options.tail);
  if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) throw new UsageError(`invalid --tail "${options.tail}"`, { hint: 'give a number of lines, or "all"' });
  const index = options.index === undefined ? undefined : Number(options.index);
  if (index !== undefined && (!Number.isInteger(index) || index < 1)) throw new UsageError(`invalid --index "${options.index}"`, { hint: 'give a container number, from 1' });
  const time = (flag: string, value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const parsed = toEngineTimestamp(value, nowMs);
    if (parsed === undefined) throw new UsageError(`invalid ${flag} "${value}"`, { hint: 'use an RFC 3339 date (2024-05-01T10:00:00Z), a Unix timestamp, or a duration such as 10m or 1h30m' });
    return parsed;
  };
  return omitUndefined({ tail, index, since: time('--since', options.since), until: time('--until', options.until) });
}

function omitUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function byServiceAndNumber(a: ContainerSummary, b: ContainerSummary): number {
  const sa = a.labels[LABEL.service] ?? '';
  const sb = b.labels[LABEL.service] ?? '';
  if (sa !== sb) return sa < sb ? -1 : 1;
  return Number(a.labels[LABEL.containerNumber] ?? 0) - Number(b.labels[LABEL.containerNumber] ?? 0);
}
