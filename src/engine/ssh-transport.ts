// ssh:// endpoints: the Engine API tunnelled through ssh by dockerode's transport, docker-modem.
// Loaded only for ssh:// (it brings ssh2); unix and tcp endpoints use http-transport.ts.
import { createRequire } from 'node:module';
import { Duplex, Readable } from 'node:stream';
import type DockerModem from 'docker-modem';
import type { Transport, TransportRequest } from './http-transport.js';

const SUCCESS = { 200: true, 201: true, 204: true, 304: true } as const;

export interface SshEndpoint {
  readonly host: string;
  readonly port: number;
  readonly username: string;
}

export function createSshTransport(endpoint: SshEndpoint, apiVersion: string): Transport {
  // Resolved from dockerode's own directory, where its dependency is guaranteed to be.
  const require = createRequire(createRequire(import.meta.url).resolve('dockerode'));
  const Modem = require('docker-modem') as typeof DockerModem;
  const modem = new Modem({
    protocol: 'ssh',
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.username,
    sshOptions: { agent: process.env.SSH_AUTH_SOCK },
    version: apiVersion,
  });
  const dial = (request: TransportRequest, mode: 'json' | 'stream' | 'upgrade'): Promise<unknown> =>
    new Promise((resolve, reject) => {
      modem.dial(
        {
          // A trailing '?' makes the modem append the query; `_body` keeps it out of the query.
          path: `${request.path}?`,
          method: request.method,
          options: { _query: request.query ?? {}, _body: request.body ?? {} },
          isStream: mode !== 'json',
          hijack: mode === 'upgrade',
          statusCodes: SUCCESS,
          ...(request.signal === undefined ? {} : { abortSignal: request.signal }),
          ...(request.upload === undefined ? {} : { file: request.upload, headers: { 'Content-Type': 'application/x-tar' } }),
          ...(request.auth === undefined ? {} : { authconfig: { ...request.auth } }),
        },
        (error, result) => (error === null ? resolve(result) : reject(withEngineMessage(error))),
      );
    });
  return {
    fetch: (request) => dial(request, 'json'),
    open: async (request) => {
      const result = await dial(request, 'stream');
      if (result instanceof Readable) return result;
      throw new Error('the engine answered without a stream');
    },
    upgrade: async (request) => {
      const result = await dial(request, 'upgrade');
      if (result instanceof Duplex) return result;
      throw new Error('the engine did not upgrade the connection');
    },
  };
}

/** docker-modem words errors as "(HTTP code 404) unexpected - <engine message> "; keep the engine's words. */
function withEngineMessage(error: unknown): unknown {
  if (error instanceof Error) error.message = error.message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
  return error;
}
