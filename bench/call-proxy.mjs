// A counting proxy in front of the engine's unix socket: point a tool's DOCKER_HOST at it and it
// counts the API requests the tool makes, by method and path (ids and names folded to :id).
// Used only to count calls, never to time them: the extra hop adds latency.
import { createConnection, createServer } from 'node:net';
import { rmSync } from 'node:fs';

/**
 * @param {{ listen: string, target?: string }} options  socket paths
 * @returns {Promise<{ host: string, take: () => Record<string, number>, close: () => Promise<void> }>}
 */
export async function startCallProxy({ listen, target = defaultTarget() }) {
  /** @type {Record<string, number>} */
  let counts = {};
  const sockets = new Set();
  const server = createServer((client) => {
    const upstream = createConnection(target);
    sockets.add(client);
    sockets.add(upstream);
    const count = (/** @type {string} */ method, /** @type {string} */ path) => {
      const key = `${method} ${normalizePath(path)}`;
      counts[key] = (counts[key] ?? 0) + 1;
    };
    client.on('data', createRequestReader(count));
    client.pipe(upstream).pipe(client);
    const end = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  rmSync(listen, { force: true });
  await new Promise((resolve, reject) => server.once('error', reject).listen(listen, () => resolve(undefined)));
  return {
    host: `unix://${listen}`,
    take: () => {
      const taken = counts;
      counts = {};
      return taken;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
      rmSync(listen, { force: true });
    },
  };
}

/**
 * Follows HTTP/1.1 framing on one connection (request head, then a Content-Length or chunked
 * body) so that every request is seen once, also when it follows a body in the same chunk.
 * After an upgrade (attach, exec) the bytes are no longer HTTP and are ignored.
 * @param {(method: string, path: string) => void} onRequest
 */
export function createRequestReader(onRequest) {
  let buffer = Buffer.alloc(0);
  /** @type {{ kind: 'head' } | { kind: 'body', left: number } | { kind: 'chunked' } | { kind: 'raw' }} */
  let state = { kind: 'head' };
  return (/** @type {Buffer} */ chunk) => {
    if (state.kind === 'raw') return;
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      if (state.kind === 'head') {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = buffer.subarray(0, end).toString('latin1').split('\r\n');
        buffer = buffer.subarray(end + 4);
        const [method = '', path = ''] = (lines[0] ?? '').split(' ');
        onRequest(method, path);
        const header = (/** @type {string} */ name) => lines.find((l) => l.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim().toLowerCase();
        if (header('upgrade') !== undefined) { state = { kind: 'raw' }; return; }
        if (header('transfer-encoding')?.includes('chunked')) state = { kind: 'chunked' };
        else state = { kind: 'body', left: Number(header('content-length') ?? 0) };
      } else if (state.kind === 'body') {
        const take = Math.min(state.left, buffer.length);
        buffer = buffer.subarray(take);
        state = state.left - take === 0 ? { kind: 'head' } : { kind: 'body', left: state.left - take };
        if (state.kind === 'body') return;
      } else if (state.kind === 'chunked') {
        const lineEnd = buffer.indexOf('\r\n');
        if (lineEnd < 0) return;
        const size = parseInt(buffer.subarray(0, lineEnd).toString('latin1'), 16);
        // A chunk, its CRLF; the last (size 0) ends with an empty trailer line.
        const need = lineEnd + 2 + size + 2;
        if (buffer.length < need) return;
        buffer = buffer.subarray(need);
        if (size === 0) state = { kind: 'head' };
      } else {
        return;
      }
    }
  };
}

/** `/v1.41/containers/abc123/start?x=1` → `/containers/:id/start`. */
export function normalizePath(/** @type {string} */ path) {
  const bare = path.split('?')[0]?.replace(/^\/v\d+\.\d+/, '') ?? '';
  const parts = bare.split('/');
  // /containers/ID/..., /networks/ID, /volumes/NAME, /images/REF/json, /exec/ID/...
  if (['containers', 'networks', 'volumes', 'exec'].includes(parts[1] ?? '') && parts[2] !== undefined && !['json', 'create', 'prune'].includes(parts[2])) parts[2] = ':id';
  if (parts[1] === 'images' && parts.length > 3) return `/images/:ref/${parts[parts.length - 1]}`;
  if (parts[1] === 'distribution' && parts.length > 3) return `/distribution/:ref/${parts[parts.length - 1]}`;
  return parts.join('/');
}

function defaultTarget() {
  const host = process.env.DOCKER_HOST;
  if (host?.startsWith('unix://')) return host.slice('unix://'.length);
  return '/var/run/docker.sock';
}

/** Sum of a count table. */
export function totalCalls(/** @type {Record<string, number>} */ counts) {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
