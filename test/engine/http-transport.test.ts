// Gantry's HTTP transport against a small HTTP server on a unix socket: what reaches the server
// (path, version prefix, query, body, headers) and how answers come back (JSON, bytes, streams,
// errors with the engine's message, upgrades). The real engine is exercised by test/e2e.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport, encodeAuth, encodeQuery, HttpStatusError, type Transport } from '../../src/engine/http-transport.js';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let dir: string;
let server: Server;
let transport: Transport;
const seen: Seen[] = [];

function route(request: IncomingMessage, body: string, response: ServerResponse): void {
  const path = (request.url ?? '').split('?')[0];
  if (path === '/v1.41/_ping') return void response.end('OK');
  if (path === '/v1.41/containers/json') return void response.setHeader('Content-Type', 'application/json').end('[{"Id":"a"}]');
  if (path === '/v1.41/containers/missing/json') return void response.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"No such container: missing"}');
  if (path === '/v1.41/plain-error') return void response.writeHead(500).end('page not found\n');
  if (path === '/v1.41/containers/x/start') return void response.writeHead(304).end();
  if (path === '/v1.41/echo') return void response.setHeader('Content-Type', 'application/json').end(JSON.stringify({ body, type: request.headers['content-type'] ?? null }));
  if (path === '/v1.41/events') {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.write('{"n":1}\n');
    response.end('{"n":2}\n');
    return;
  }
  if (path === '/v1.41/events-forever') {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.write('{"n":1}\n');
    return;
  }
  response.writeHead(404).end('{"message":"page not found"}');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gantry-http-'));
  const socketPath = join(dir, 'engine.sock');
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      route(request, body, response);
    });
  });
  // An attach: answer 101 and echo what the client writes, upper-cased.
  server.on('upgrade', (request: IncomingMessage, socket) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: '' });
    socket.write('HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nhello ');
    socket.on('data', (chunk: Buffer) => socket.end(chunk.toString('utf8').toUpperCase()));
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  transport = createHttpTransport({ kind: 'unix', socketPath }, 'v1.41');
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const last = (): Seen => {
  const value = seen.at(-1);
  if (value === undefined) throw new Error('the server saw no request');
  return value;
};

describe('the HTTP transport', () => {
  it('prefixes the API version, encodes the query and parses JSON answers', async () => {
    const list = await transport.fetch({ method: 'GET', path: '/containers/json', query: { all: true, filters: { label: ['a=b'] }, t: ['x', 'y'] } });
    expect(list).toEqual([{ Id: 'a' }]);
    expect(last().url).toBe(`/v1.41/containers/json?all=true&filters=${encodeURIComponent('{"label":["a=b"]}')}&t=x&t=y`);
  });

  it('hands back text answers as bytes, and 304 as success', async () => {
    const ping = await transport.fetch({ method: 'GET', path: '/_ping' });
    expect(Buffer.isBuffer(ping) && ping.toString()).toBe('OK');
    await expect(transport.fetch({ method: 'POST', path: '/containers/x/start' })).resolves.toBeDefined();
  });

  it('sends JSON bodies on POST, and none for an empty object', async () => {
    expect(await transport.fetch({ method: 'POST', path: '/echo', body: { Image: 'x' } })).toEqual({ body: '{"Image":"x"}', type: 'application/json' });
    expect(await transport.fetch({ method: 'POST', path: '/echo', body: {} })).toEqual({ body: '', type: null });
  });

  it('streams an upload as application/x-tar and sends credentials as URL-safe base64', async () => {
    const auth = { username: 'me', password: '??>>' };
    const answer = await transport.fetch({ method: 'POST', path: '/echo', upload: Readable.from([Buffer.from('tar '), Buffer.from('bytes')]), auth });
    expect(answer).toEqual({ body: 'tar bytes', type: 'application/x-tar' });
    expect(last().headers['x-registry-auth']).toBe(encodeAuth(auth));
    expect(encodeAuth(auth)).not.toMatch(/[+/]/);
    expect(JSON.parse(Buffer.from(encodeAuth(auth).replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString())).toEqual(auth);
  });

  it("rejects other statuses with the engine's own message and the status code", async () => {
    const error = await transport.fetch({ method: 'GET', path: '/containers/missing/json' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ statusCode: 404, message: 'No such container: missing', json: { message: 'No such container: missing' } });
    await expect(transport.fetch({ method: 'GET', path: '/plain-error' })).rejects.toMatchObject({ statusCode: 500, message: 'page not found' });
    await expect(transport.open({ method: 'GET', path: '/containers/missing/json' })).rejects.toMatchObject({ statusCode: 404, message: 'No such container: missing' });
  });

  it('opens a streamed answer once the status is known', async () => {
    const stream = await transport.open({ method: 'GET', path: '/events' });
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    expect(text).toBe('{"n":1}\n{"n":2}\n');
  });

  it('upgrades the connection for attach, keeping bytes the server sent with the 101', async () => {
    const socket = await transport.upgrade({ method: 'POST', path: '/containers/x/attach', query: { stream: true } });
    expect(last().headers).toMatchObject({ connection: 'Upgrade', upgrade: 'tcp' });
    socket.end('world');
    let text = '';
    for await (const chunk of socket) text += String(chunk);
    expect(text).toBe('hello WORLD');
  });

  it('aborts a request when its signal fires', async () => {
    const controller = new AbortController();
    const stream = await transport.open({ method: 'GET', path: '/events-forever', signal: controller.signal });
    const read = (async () => {
      let text = '';
      for await (const chunk of stream) {
        text += String(chunk);
        controller.abort();
      }
      return text;
    })();
    await expect(read).rejects.toThrow(/abort/i);
  });

  it('reports a socket nobody listens on with its error code, for the "is dockerd running?" message', async () => {
    const nobody = createHttpTransport({ kind: 'unix', socketPath: join(dir, 'nobody.sock') }, 'v1.41');
    await expect(nobody.fetch({ method: 'GET', path: '/_ping' })).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('encodeQuery', () => {
  it('drops undefined, JSON-encodes objects and repeats list keys', () => {
    expect(encodeQuery({ a: undefined, b: false, c: 3, d: { x: 1 }, e: ['1', '2'] })).toBe('b=false&c=3&d=%7B%22x%22%3A1%7D&e=1&e=2');
  });
});
