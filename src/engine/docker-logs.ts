// Container logs and exit waits on the real engine. The log body is read here (multiplexed or raw,
// depending on the container's TTY) and handed on as whole lines; docker-engine.ts supplies the
// transport, so the HTTP details stay there.
import type { Readable } from 'node:stream';
import { EngineError, GantryError } from '../errors.js';
import type { Request, Send } from './docker-engine.js';
import { toRecord, toText } from './docker-mapping.js';
import type { CallOptions, Engine, LogOptions } from './engine.js';
import { createLogLineSplitter, type LogStream } from './logs.js';

export interface LogTransport {
  readonly send: Send;
  /** Sends a request and resolves as soon as the response headers arrive, with the body unread. */
  readonly open: (request: Request) => Promise<Readable>;
}

export function createLogMethods(transport: LogTransport): Pick<Engine, 'containerLogs' | 'waitContainer'> {
  return {
    containerLogs: (id, options, onLine, o) => readLogs(transport, id, options, onLine, o?.signal),
    waitContainer: async (id, o) => {
      const about = { operation: 'wait for container', resource: id, signal: o?.signal } as const;
      const result = toRecord(await transport.send({ ...about, method: 'POST', path: `/containers/${id}/wait`, query: { condition: 'not-running' } }));
      const error = toText(toRecord(result.Error).Message);
      if (error !== '') throw new GantryError(`waiting for container ${id} failed: ${error}`);
      if (typeof result.StatusCode !== 'number') throw new GantryError(`the engine did not say how container ${id} exited`);
      return result.StatusCode;
    },
  };
}

async function readLogs(t: LogTransport, id: string, options: LogOptions, onLine: (stream: LogStream, line: string) => void, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted === true) return;
  const about = { operation: 'read logs of', resource: id, signal } as const;
  try {
    // The framing depends on the container's TTY, which only inspect tells.
    const inspected = toRecord(await t.send({ ...about, method: 'GET', path: `/containers/${id}/json` }));
    const tty = toRecord(inspected.Config).Tty === true;
    const body = await t.open({ ...about, method: 'GET', path: `/containers/${id}/logs`, query: toLogQuery(options) });
    await pumpLines(body, createLogLineSplitter(tty, onLine), signal);
  } catch (error) {
    // Like watchContainers: an abort ends the stream quietly.
    if (isAborted(signal)) return;
    if (error instanceof GantryError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new EngineError(`could not read logs of ${id}: ${message}`, { operation: 'read logs of', resource: id }, { cause: error });
  }
}

function toLogQuery(options: LogOptions): Record<string, string | number | boolean> {
  return {
    stdout: true,
    stderr: true,
    follow: options.follow === true,
    timestamps: options.timestamps === true,
    tail: options.tail === undefined ? 'all' : options.tail,
    ...(options.since === undefined ? {} : { since: options.since }),
    ...(options.until === undefined ? {} : { until: options.until }),
  };
}

async function pumpLines(body: Readable, splitter: { push(chunk: Uint8Array): void; end(): void }, signal: AbortSignal | undefined): Promise<void> {
  const stop = (): void => void body.destroy();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    for await (const chunk of body) {
      if (chunk instanceof Uint8Array) splitter.push(chunk);
      else splitter.push(Buffer.from(String(chunk)));
    }
    splitter.end();
  } finally {
    signal?.removeEventListener('abort', stop);
    body.destroy();
  }
}

/** A function, so the check is not narrowed away by the one before the first await. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
