// Interactive sessions on the real engine: `exec` and attach-then-start (`run`). They speak the
// Engine API over an upgraded (hijacked) connection: stdin goes up, the multiplexed output comes
// down and is split into stdout/stderr, a TTY's size follows the local terminal, and the exit
// code comes from exec inspect or the container's wait endpoint.
import type { Duplex, Readable } from 'node:stream';
import { GantryError } from '../errors.js';
import type { Request, Send } from './docker-engine.js';
import { toRecord, toText } from './docker-mapping.js';
import type { CallOptions, Engine, ExecSpec, SessionStreams, TerminalSize } from './engine.js';
import { createFrameSplitter } from './stream-frames.js';

/** How sessions reach the engine; docker-engine.ts supplies these (it alone knows the transport). */
export interface SessionTransport {
  readonly send: Send;
  /** Sends a request and resolves as soon as the response headers arrive, with the body unread. */
  readonly open: (request: Request) => Promise<Readable>;
  /** Sends a request that upgrades the connection, and resolves with the raw two-way stream. */
  readonly hijack: (request: Request) => Promise<Duplex>;
}

/** Exec inspect may lag the end of the stream by a moment; this bounds the wait for the exit code. */
const EXIT_CODE_ATTEMPTS = 40;
const EXIT_CODE_INTERVAL_MS = 50;

export function createSessionMethods(transport: SessionTransport): Pick<Engine, 'execInContainer' | 'startAttached'> {
  return {
    execInContainer: (id, spec, streams, o) => execInContainer(transport, id, spec, streams, o),
    startAttached: (id, streams, o) => startAttached(transport, id, streams, o ?? {}),
  };
}

async function execInContainer(t: SessionTransport, id: string, spec: ExecSpec, streams: SessionStreams, o: CallOptions | undefined): Promise<number> {
  const signal = o?.signal;
  const attach = !spec.detach;
  const body = {
    AttachStdin: attach && spec.interactive && streams.stdin !== undefined,
    AttachStdout: attach,
    AttachStderr: attach,
    Tty: spec.tty,
    Env: spec.env,
    Cmd: spec.command,
    WorkingDir: spec.workingDir,
    User: spec.user,
    Privileged: spec.privileged,
  };
  const about = { operation: 'exec in container', resource: id, signal } as const;
  const created = await t.send({ ...about, method: 'POST', path: `/containers/${id}/exec`, body });
  const execId = toText(toRecord(created).Id);
  const start = { ...about, method: 'POST', path: `/exec/${execId}/start`, body: { Detach: spec.detach, Tty: spec.tty } } as const;
  if (spec.detach) {
    await t.send(start);
    return 0;
  }
  const connection = await t.hijack(start);
  const resize = (size: TerminalSize): Promise<unknown> =>
    t.send({ ...about, operation: 'resize exec in', method: 'POST', path: `/exec/${execId}/resize`, query: { h: size.rows, w: size.columns } });
  await pump(connection, streams, { tty: spec.tty, sendStdin: body.AttachStdin, resize, signal });
  return readExecExitCode(t, execId, about.resource, signal);
}

async function readExecExitCode(t: SessionTransport, execId: string, container: string, signal: AbortSignal | undefined): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const inspected = toRecord(await t.send({ operation: 'inspect exec in', resource: container, method: 'GET', path: `/exec/${execId}/json`, signal }));
    if (inspected.Running !== true && typeof inspected.ExitCode === 'number') return inspected.ExitCode;
    if (attempt >= EXIT_CODE_ATTEMPTS) throw new GantryError(`the command in ${container} ended its output but its exit code is unknown`);
    await new Promise((resolve) => setTimeout(resolve, EXIT_CODE_INTERVAL_MS));
  }
}

async function startAttached(t: SessionTransport, id: string, streams: SessionStreams, o: CallOptions & { tty?: boolean; autoRemove?: boolean }): Promise<number> {
  const signal = o.signal;
  const about = { operation: 'attach to container', resource: id, signal } as const;
  const sendStdin = streams.stdin !== undefined;
  const query = { stream: 1, stdin: sendStdin ? 1 : 0, stdout: 1, stderr: 1 };
  const connection = await t.hijack({ ...about, method: 'POST', path: `/containers/${id}/attach`, query });
  let waiter: Readable | undefined;
  try {
    // Subscribed before the start, so even an instant exit is seen; 'removed' also covers AutoRemove.
    const condition = o.autoRemove === true ? 'removed' : 'next-exit';
    waiter = await t.open({ ...about, operation: 'wait for container', method: 'POST', path: `/containers/${id}/wait`, query: { condition } });
    await t.send({ ...about, operation: 'start container', method: 'POST', path: `/containers/${id}/start` });
  } catch (error) {
    connection.destroy();
    waiter?.destroy();
    throw error;
  }
  const resize = (size: TerminalSize): Promise<unknown> =>
    t.send({ ...about, operation: 'resize container', method: 'POST', path: `/containers/${id}/resize`, query: { h: size.rows, w: size.columns } });
  const exit = readWaitResult(waiter, id, signal);
  exit.catch(() => undefined);
  await pump(connection, streams, { tty: o.tty === true, sendStdin, resize, signal });
  return exit;
}

async function readWaitResult(response: Readable, container: string, signal: AbortSignal | undefined): Promise<number> {
  const stop = (): void => void response.destroy();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    let text = '';
    for await (const chunk of response) text += String(chunk);
    const result = toRecord(JSON.parse(text || '{}'));
    const error = toText(toRecord(result.Error).Message);
    if (error !== '') throw new GantryError(`waiting for container ${container} failed: ${error}`);
    if (typeof result.StatusCode !== 'number') throw new GantryError(`the engine did not say how container ${container} exited`);
    return result.StatusCode;
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    throw error;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}

interface PumpOptions {
  readonly tty: boolean;
  readonly sendStdin: boolean;
  readonly resize: (size: TerminalSize) => Promise<unknown>;
  readonly signal: AbortSignal | undefined;
}

/**
 * Moves bytes both ways until the engine closes its side: local stdin up (its end half-closes
 * the connection, so the process sees EOF), output down, demultiplexed unless there is a TTY.
 * Output written faster than the local side reads pauses the connection (backpressure).
 */
function pump(connection: Duplex, streams: SessionStreams, options: PumpOptions): Promise<void> {
  const { stdin, stdout, stderr, terminal } = streams;
  const write = (target: NodeJS.WritableStream, data: Buffer): void => {
    if (!target.write(data)) {
      connection.pause();
      target.once('drain', () => connection.resume());
    }
  };
  const splitter = createFrameSplitter((stream, payload) => write(stream === 'stderr' ? stderr : stdout, payload));
  const onData = (chunk: Buffer): void => (options.tty ? write(stdout, chunk) : splitter.push(chunk));
  const unsubscribe = options.tty && terminal !== undefined ? followTerminal(terminal, options.resize) : undefined;
  if (options.sendStdin && stdin !== undefined) stdin.pipe(connection);
  return new Promise<void>((resolve, reject) => {
    let done = false;
    const finish = (error?: unknown): void => {
      if (done) return;
      done = true;
      connection.off('data', onData);
      unsubscribe?.();
      if (stdin !== undefined) {
        stdin.unpipe(connection);
        // A paused stdin no longer holds the event loop open once the session is over.
        stdin.pause();
      }
      options.signal?.removeEventListener('abort', onAbort);
      connection.destroy();
      if (error === undefined) resolve();
      else reject(error);
    };
    const onAbort = (): void => finish(options.signal?.reason);
    if (options.signal?.aborted === true) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    connection.on('data', onData);
    connection.once('end', () => finish());
    connection.once('close', () => finish());
    connection.once('error', (error) => finish(new GantryError(`the connection to the engine broke: ${error.message}`, { cause: error })));
  });
}

/** Sends the terminal's size now and on every change; returns the unsubscribe. */
function followTerminal(terminal: NonNullable<SessionStreams['terminal']>, resize: (size: TerminalSize) => Promise<unknown>): () => void {
  const send = (): void => {
    const size = terminal.size();
    // A resize racing the end of the session fails harmlessly.
    if (size.columns > 0 && size.rows > 0) resize(size).catch(() => undefined);
  };
  send();
  return terminal.onResize(send);
}
