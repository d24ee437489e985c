// Gantry's own HTTP client for the Engine API: node:http over a unix socket or TCP (TLS when the
// endpoint asks for it). It replaced docker-modem for these endpoints: loading the modem (with ssh2
// and readable-stream) cost ~40 ms of CPU on every engine command, for a few dozen lines of work.
// ssh:// endpoints still go through docker-modem (ssh-transport.ts), loaded only for them.
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { stringify } from 'node:querystring';
import { addAbortSignal, type Duplex, type Readable } from 'node:stream';

/** What the engine layer asks of a transport; docker-engine.ts's Request adds words for messages. */
export interface TransportRequest {
  readonly method: string;
  /** The API path without the version prefix: `/containers/json`. */
  readonly path: string;
  /** Objects are sent as JSON, a list repeats its key (`t=a&t=b`). */
  readonly query?: Readonly<Record<string, unknown>>;
  /** Sent as JSON on POST and PUT; `{}` sends nothing, as the engine expects for most actions. */
  readonly body?: unknown;
  /** A request body streamed as it is read (a build context, an archive), sent as application/x-tar. */
  readonly upload?: NodeJS.ReadableStream;
  /** Registry credentials for X-Registry-Auth; `{}` for anonymous access. */
  readonly auth?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal | undefined;
}

export interface Transport {
  /** The whole answer: parsed JSON, else the raw bytes (logs, archives), as docker-modem gave them. */
  fetch(request: TransportRequest): Promise<unknown>;
  /** The answer's body as a stream, once the status says it succeeded. */
  open(request: TransportRequest): Promise<Readable>;
  /** An attach or exec start that upgrades the connection: the raw socket. */
  upgrade(request: TransportRequest): Promise<Duplex>;
}

export type HttpEndpoint =
  | { readonly kind: 'unix'; readonly socketPath: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly tls?: TlsFiles };

export interface TlsFiles {
  readonly ca?: Buffer | undefined;
  readonly cert?: Buffer | undefined;
  readonly key?: Buffer | undefined;
}

/** An answer outside 2xx/304; `json` is the engine's error body (`{ message }`) when it sent one. */
export class HttpStatusError extends Error {
  constructor(
    readonly statusCode: number,
    readonly json: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'HttpStatusError';
  }
}

const SUCCESS = new Set([200, 201, 204, 304]);

export function createHttpTransport(endpoint: HttpEndpoint, apiVersion: string): Transport {
  const send = (request: TransportRequest, upgrade: boolean): ClientRequest => {
    const options = requestOptions(endpoint, apiVersion, request, upgrade);
    const body = encodeBody(request);
    if (body !== undefined) options.headers = { ...options.headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };
    const call = endpoint.kind === 'tcp' && endpoint.tls !== undefined ? httpsRequest({ ...options, ...endpoint.tls }) : httpRequest(options);
    if (request.upload !== undefined) {
      const upload = request.upload;
      upload.on('error', (error: Error) => call.destroy(error));
      upload.pipe(call);
    } else {
      call.end(body);
    }
    return call;
  };
  return {
    fetch: (request) =>
      new Promise((resolve, reject) => {
        const call = send(request, false);
        call.on('error', reject);
        call.on('response', (response) => {
          if (request.signal !== undefined) addAbortSignal(request.signal, response);
          readAll(response).then((bytes) => {
            const value = parseJsonOrBytes(bytes);
            if (SUCCESS.has(response.statusCode ?? 0)) resolve(value);
            else reject(statusError(response.statusCode ?? 0, value));
          }, reject);
        });
      }),
    open: (request) =>
      new Promise((resolve, reject) => {
        const call = send(request, false);
        call.on('error', reject);
        call.on('response', (response) => {
          if (SUCCESS.has(response.statusCode ?? 0)) return resolve(response);
          readAll(response).then((bytes) => reject(statusError(response.statusCode ?? 0, parseJsonOrBytes(bytes))), reject);
        });
      }),
    upgrade: (request) =>
      new Promise((resolve, reject) => {
        const call = send(request, true);
        call.on('error', reject);
        call.on('upgrade', (_response, socket, head) => {
          if (head.length > 0) socket.unshift(head);
          resolve(socket);
        });
        call.on('response', (response) => {
          readAll(response).then((bytes) => {
            const status = response.statusCode ?? 0;
            reject(SUCCESS.has(status) ? new Error('the engine did not upgrade the connection') : statusError(status, parseJsonOrBytes(bytes)));
          }, reject);
        });
      }),
  };
}

function requestOptions(endpoint: HttpEndpoint, apiVersion: string, request: TransportRequest, upgrade: boolean): RequestOptions {
  const query = request.query === undefined ? '' : encodeQuery(request.query);
  const headers: Record<string, string> = {};
  if (request.auth !== undefined) headers['X-Registry-Auth'] = encodeAuth(request.auth);
  if (request.upload !== undefined) headers['Content-Type'] = 'application/x-tar';
  if (upgrade) Object.assign(headers, { Connection: 'Upgrade', Upgrade: 'tcp' });
  const where = endpoint.kind === 'unix' ? { socketPath: endpoint.socketPath } : { host: endpoint.host, port: endpoint.port };
  // Node's agent works out a TLS server name for every request unless given one, testing the host
  // with isIP, whose IPv6 expression takes ~4 ms to compile on first use: only TLS needs the name.
  const serverName = endpoint.kind === 'tcp' && endpoint.tls !== undefined ? {} : { servername: '' };
  return {
    ...where,
    ...serverName,
    method: request.method,
    path: `/${apiVersion}${request.path}${query === '' ? '' : `?${query}`}`,
    headers,
    ...(request.signal === undefined ? {} : { signal: request.signal }),
  };
}

/** The engine reads filters and other structured parameters as JSON text. */
export function encodeQuery(query: Readonly<Record<string, unknown>>): string {
  const flat: Record<string, string | number | boolean | readonly string[]> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) flat[key] = value.map(String);
    else if (typeof value === 'object' && value !== null) flat[key] = JSON.stringify(value);
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') flat[key] = value;
  }
  return stringify(flat);
}

function encodeBody(request: TransportRequest): string | undefined {
  if (request.upload !== undefined || (request.method !== 'POST' && request.method !== 'PUT') || request.body === undefined) return undefined;
  const text = JSON.stringify(request.body);
  return text === '{}' || text === '""' ? undefined : text;
}

/** The engine decodes X-Registry-Auth as URL-safe base64 of the JSON credentials. */
export function encodeAuth(auth: Readonly<Record<string, string>>): string {
  return Buffer.from(JSON.stringify(auth)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** JSON when the body is JSON (every API answer but logs, archives and `_ping`'s "OK"), else bytes. */
function parseJsonOrBytes(bytes: Buffer): unknown {
  if (bytes.length === 0) return bytes;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return value === null || value === false || value === 0 || value === '' ? bytes : value;
  } catch {
    return bytes;
  }
}

function statusError(status: number, body: unknown): HttpStatusError {
  const message = typeof body === 'object' && body !== null && !Buffer.isBuffer(body) && typeof (body as { message?: unknown }).message === 'string'
    ? (body as { message: string }).message
    : Buffer.isBuffer(body) ? body.toString('utf8').trim() : JSON.stringify(body);
  return new HttpStatusError(status, body, message === '' ? `the engine answered HTTP ${status}` : message);
}
