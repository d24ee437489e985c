// The real Engine: Docker Engine API v1.41 over Gantry's own HTTP transport (docker-modem for
// ssh:// only); every call goes through one request function that maps failures to EngineError.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Duplex, Readable } from 'node:stream';
import { createHttpTransport, type HttpEndpoint, type TlsFiles, type Transport, type TransportRequest } from './http-transport.js';
import { EngineError, UsageError } from '../errors.js';
import { createBuildMethods } from './docker-build.js';
import { createControlMethods } from './docker-control.js';
import { toImageHistory } from './docker-image-history.js';
import { createLogMethods } from './docker-logs.js';
import { createSessionMethods } from './docker-session.js';
import type { CallOptions, ContainerSpec, Engine, LabelFilter, NetworkSpec, VolumeSpec, WatchOptions } from './engine.js';
import {
  toContainerDetails,
  toContainerEvent,
  toContainerSummary,
  toList,
  toNetworkSummary,
  toPullLine,
  toRecord,
  toText,
  toVolumeSummary,
} from './docker-mapping.js';

export interface DockerEngineOptions {
  /**
   * Where the engine listens: unix:///path, tcp://host:port, ssh://user@host.
   * @default process.env.DOCKER_HOST, else unix:///var/run/docker.sock
   */
  readonly host?: string;
}

const DEFAULT_HOST = 'unix:///var/run/docker.sock';
/** The API version container-spec.ts writes bodies for; newer engines still serve it. */
const API_VERSION = 'v1.41';
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOENT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE']);

/** A transport request (path, body, upload, auth, signal) with the words its errors need. */
export interface Request extends TransportRequest {
  /** For messages and EngineError: what Gantry was doing ('create container') and to what. */
  readonly operation: string;
  readonly resource: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** A list repeats its key (`t=a&t=b`). */
  readonly query?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

export type Send = (request: Request) => Promise<unknown>;
export type Stream = (request: Request, onLine: (value: unknown) => void) => Promise<void>;

export function createDockerEngine(options: DockerEngineOptions = {}): Engine {
  const endpoint = normalizeHost(options.host ?? process.env.DOCKER_HOST ?? DEFAULT_HOST);
  const transport = createTransport(endpoint);
  const send: Send = (request) => run(request, endpoint, () => transport.fetch(request));
  const stream: Stream = (request, onLine) => run(request, endpoint, async () => readJsonLines(await transport.open(request), onLine, request.signal));
  const open = (request: Request): Promise<Readable> => run(request, endpoint, () => transport.open(request));
  const hijack = (request: Request): Promise<Duplex> => run(request, endpoint, () => transport.upgrade(request));
  return {
    endpoint, ...createContainerMethods(send), ...createResourceMethods(send), ...createImageMethods(send, stream), ...createBuildMethods(stream),
    ...createControlMethods(send), ...createSessionMethods({ send, open, hijack }), ...createLogMethods({ send, open }),
  };
}

function createContainerMethods(send: Send): Pick<Engine, 'ping' | 'listContainers' | 'inspectContainer' | 'createContainer' | 'copyToContainer' | 'startContainer' | 'stopContainer' | 'removeContainer'> {
  return {
    ping: async (o) => void (await send({ ...about('ping', 'the engine', o), method: 'GET', path: '/_ping' })),
    listContainers: async (filter, o) => {
      const query = { all: o?.all === true, filters: toFilters(filter) };
      const list = await send({ ...about('list', 'containers', o), method: 'GET', path: '/containers/json', query });
      return toList(list).map(toContainerSummary);
    },
    inspectContainer: async (id, o) =>
      toContainerDetails(await send({ ...about('inspect container', id, o), method: 'GET', path: `/containers/${id}/json` }), Date.now()),
    createContainer: async (spec, o) => createContainer(send, spec, o?.signal),
    copyToContainer: async (id, path, archive, o) => {
      // Without copyUIDGID the engine keeps the owners the archive names (secrets' uid/gid).
      await send({ ...about('copy files into container', id, o), method: 'PUT', path: `/containers/${id}/archive`, query: { path }, upload: archive });
    },
    startContainer: async (id, o) => void (await send({ ...about('start container', id, o), method: 'POST', path: `/containers/${id}/start` })),
    stopContainer: async (id, o) => {
      const query: Record<string, number> = o?.timeoutSeconds === undefined ? {} : { t: o.timeoutSeconds };
      await send({ ...about('stop container', id, o), method: 'POST', path: `/containers/${id}/stop`, query }).catch(ignoreStatus(404));
    },
    removeContainer: async (id, o) => {
      const query = { force: o?.force === true, v: o?.volumes === true };
      await send({ ...about('remove container', id, o), method: 'DELETE', path: `/containers/${id}`, query }).catch(ignoreStatus(404));
    },
  };
}

async function createContainer(send: Send, spec: ContainerSpec, signal: AbortSignal | undefined): Promise<string> {
  const request = { operation: 'create container', resource: spec.name, signal } as const;
  const created = await send({ ...request, method: 'POST', path: '/containers/create', query: { name: spec.name }, body: spec.body });
  const id = toText(toRecord(created).Id);
  // API 1.41 attaches one network at create; the others join before the container starts.
  for (const network of spec.extraNetworks) {
    const ipam = { IPv4Address: network.ipv4Address, IPv6Address: network.ipv6Address };
    const body = { Container: id, EndpointConfig: { Aliases: network.aliases, IPAMConfig: ipam } };
    // By id when known: a name a concurrent `up` briefly duplicated is ambiguous.
    await send({ ...request, operation: `connect to network ${network.name}`, method: 'POST', path: `/networks/${network.id ?? network.name}/connect`, body });
  }
  return id;
}

function createResourceMethods(send: Send): Pick<Engine, 'listNetworks' | 'findNetwork' | 'createNetwork' | 'removeNetwork' | 'listVolumes' | 'findVolume' | 'createVolume' | 'removeVolume'> {
  return {
    listNetworks: async (filter, o) => {
      const list = await send({ ...about('list', 'networks', o), method: 'GET', path: '/networks', query: { filters: toFilters(filter) } });
      return toList(list).map(toNetworkSummary);
    },
    findNetwork: async (name, o) => {
      // The name filter matches substrings; 20.10 also allows duplicates, so take the oldest exact match.
      const query = { filters: JSON.stringify({ name: [name] }) };
      const list = await send({ ...about('find network', name, o), method: 'GET', path: '/networks', query });
      const matches = toList(list).map(toNetworkSummary).filter((n) => n.name === name);
      return matches.sort((a, b) => (a.created ?? '').localeCompare(b.created ?? ''))[0];
    },
    createNetwork: async (spec, o) => {
      const created = await send({ ...about('create network', spec.name, o), method: 'POST', path: '/networks/create', body: toNetworkBody(spec) });
      return toText(toRecord(created).Id);
    },
    removeNetwork: async (idOrName, o) => {
      await send({ ...about('remove network', idOrName, o), method: 'DELETE', path: `/networks/${idOrName}` }).catch(ignoreStatus(404));
    },
    listVolumes: async (filter, o) => {
      const list = await send({ ...about('list', 'volumes', o), method: 'GET', path: '/volumes', query: { filters: toFilters(filter) } });
      return toList(toRecord(list).Volumes).map(toVolumeSummary);
    },
    findVolume: async (name, o) => {
      const volume = await send({ ...about('find volume', name, o), method: 'GET', path: `/volumes/${name}` }).catch(ignoreStatus(404));
      return volume === undefined ? undefined : toVolumeSummary(volume);
    },
    createVolume: async (spec, o) => toVolumeSummary(await send({ ...about('create volume', spec.name, o), method: 'POST', path: '/volumes/create', body: toVolumeBody(spec) })),
    removeVolume: async (name, o) => {
      await send({ ...about('remove volume', name, o), method: 'DELETE', path: `/volumes/${name}` }).catch(ignoreStatus(404));
    },
  };
}

function createImageMethods(send: Send, stream: Stream): Pick<Engine, 'imageExists' | 'pullImage' | 'removeImage' | 'imageHistory' | 'watchContainers'> {
  return {
    imageExists: async (ref, o) => {
      const image = await send({ ...about('inspect image', ref, o), method: 'GET', path: `/images/${ref}/json` }).catch(ignoreStatus(404));
      return image !== undefined;
    },
    pullImage: async (ref, onProgress, o) => {
      const request: Request = { ...about('pull image', ref, o), method: 'POST', path: '/images/create', query: toPullQuery(ref) };
      await stream(request, (value) => {
        const line = toPullLine(value);
        // The engine reports most pull failures inside a 200 response, as a JSON line.
        if ('error' in line) throw new EngineError(`could not pull image ${ref}: ${line.error}`, { operation: 'pull image', resource: ref });
        onProgress(line.progress);
      });
    },
    removeImage: async (ref, o) => {
      await send({ ...about('remove image', ref, o), method: 'DELETE', path: `/images/${ref}` }).catch(ignoreStatus(404));
    },
    imageHistory: async (ref, o) => {
      // Both in parallel: the history lacks the config, the inspect lacks the steps.
      const [image, history] = await Promise.all([
        send({ ...about('inspect image', ref, o), method: 'GET', path: `/images/${ref}/json` }).catch(ignoreStatus(404)),
        send({ ...about('read the history of image', ref, o), method: 'GET', path: `/images/${ref}/history` }).catch(ignoreStatus(404)),
      ]);
      if (image === undefined || history === undefined) return undefined;
      return toImageHistory(image, history);
    },
    watchContainers: async (filter, onEvent, o) => {
      const filters = JSON.stringify({ type: ['container'], label: toLabelFilters(filter), ...watchFilters(o) });
      // `since` = now replays what happened between this call and the subscription taking hold.
      const query = { filters, since: toUnixTime(Date.now()) };
      const request: Request = { ...about('watch', 'container events', o), method: 'GET', path: '/events', query };
      await stream(request, (value) => {
        const event = toContainerEvent(value);
        if (event !== undefined) onEvent(event);
      }).catch((error: unknown) => {
        if (o?.signal?.aborted !== true) throw error;
      });
    },
  };
}

function watchFilters(o: WatchOptions | undefined): { container?: string[]; event?: string[] } {
  return {
    ...(o?.containers === undefined ? {} : { container: [...o.containers] }),
    ...(o?.actions === undefined ? {} : { event: [...o.actions] }),
  };
}

/** What a request is for, in words for messages, and its abort signal. */
function about(operation: string, resource: string, options: CallOptions | undefined): Pick<Request, 'operation' | 'resource' | 'signal'> {
  return { operation, resource, signal: options?.signal };
}

function toFilters(filter: LabelFilter): string {
  const label = toLabelFilters(filter);
  return JSON.stringify(label.length === 0 ? {} : { label });
}

function toLabelFilters(filter: LabelFilter): string[] {
  return Object.entries(filter).map(([key, value]) => (value === '' ? key : `${key}=${value}`));
}

function toPullQuery(ref: string): Record<string, string> {
  if (ref.includes('@')) return { fromImage: ref };
  const colon = ref.lastIndexOf(':');
  // Without a tag the engine would pull every tag of the repository.
  return colon > ref.lastIndexOf('/') ? { fromImage: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { fromImage: ref, tag: 'latest' };
}

function toUnixTime(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1_000_000).padStart(9, '0')}`;
}

function toNetworkBody(spec: NetworkSpec): Record<string, unknown> {
  const ipam = spec.ipam;
  return {
    Name: spec.name,
    CheckDuplicate: true,
    Driver: spec.driver,
    Options: spec.driverOpts,
    Labels: spec.labels,
    Internal: spec.internal,
    Attachable: spec.attachable,
    EnableIPv6: spec.enableIpv6,
    IPAM: ipam === undefined ? undefined : {
      Driver: ipam.driver,
      Options: ipam.options,
      Config: ipam.config.map((c) => ({ Subnet: c.subnet, IPRange: c.ipRange, Gateway: c.gateway, AuxiliaryAddresses: c.auxAddresses })),
    },
  };
}

function toVolumeBody(spec: VolumeSpec): Record<string, unknown> {
  return { Name: spec.name, Driver: spec.driver, DriverOpts: spec.driverOpts, Labels: spec.labels };
}

function ignoreStatus(status: number): (error: unknown) => undefined {
  return (error) => {
    if (error instanceof EngineError && error.statusCode === status) return undefined;
    throw error;
  };
}

/** The one place failures are translated: aborts keep the signal's reason, the rest become EngineError. */
async function run<T>(request: Request, endpoint: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (request.signal?.aborted === true) throw request.signal.reason;
    throw toEngineError(error, request, endpoint);
  }
}

function toEngineError(error: unknown, request: Request, endpoint: string): EngineError {
  if (error instanceof EngineError) return error;
  const details = { operation: request.operation, resource: request.resource };
  const e = toRecord(error);
  const code = toText(e.code);
  if (UNREACHABLE.has(code)) {
    const hint = 'Start the Docker Engine (npm run setup:engine does it here), or point DOCKER_HOST at one that is running.';
    return new EngineError(`cannot reach the Docker Engine at ${endpoint} — is dockerd running?`, details, { hint, cause: error });
  }
  if (code === 'EACCES') {
    const hint = 'Run as a user in the docker group, or as root.';
    return new EngineError(`permission denied while connecting to the Docker Engine at ${endpoint}`, details, { hint, cause: error });
  }
  const statusCode = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const message = toText(toRecord(e.json).message) || (error instanceof Error ? error.message : String(error));
  return new EngineError(`could not ${request.operation} ${request.resource}: ${message}`, { ...details, statusCode }, { cause: error });
}

/** Reads newline-delimited JSON until the stream ends or the signal aborts (which destroys it). */
async function readJsonLines(stream: Readable, onLine: (value: unknown) => void, signal: AbortSignal | undefined): Promise<void> {
  const stop = (): void => void stream.destroy();
  signal?.addEventListener('abort', stop, { once: true });
  if (signal?.aborted === true) stop();
  stream.setEncoding('utf8');
  let pending = '';
  try {
    for await (const chunk of stream) {
      const lines = (pending + String(chunk)).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') onLine(JSON.parse(line));
    }
    if (pending.trim() !== '') onLine(JSON.parse(pending));
  } finally {
    signal?.removeEventListener('abort', stop);
    stream.destroy();
  }
}

function normalizeHost(host: string): string {
  return host.includes('://') ? host : `tcp://${host}`;
}

/** The transport for an endpoint: Gantry's own HTTP client, or docker-modem for ssh://. */
function createTransport(endpoint: string): Transport {
  const url = new URL(endpoint);
  if (url.protocol !== 'ssh:') return createHttpTransport(toHttpEndpoint(endpoint, url), API_VERSION);
  // Deferred: the ssh transport brings docker-modem and ssh2, which no other endpoint needs.
  let ssh: Transport | undefined;
  const load = async (): Promise<Transport> => {
    ssh ??= (await import('./ssh-transport.js')).createSshTransport({ host: url.hostname, port: Number(url.port || 22), username: url.username }, API_VERSION);
    return ssh;
  };
  return {
    fetch: async (request) => (await load()).fetch(request),
    open: async (request) => (await load()).open(request),
    upgrade: async (request) => (await load()).upgrade(request),
  };
}

function toHttpEndpoint(endpoint: string, url: URL): HttpEndpoint {
  switch (url.protocol) {
    case 'unix:':
      return { kind: 'unix', socketPath: url.pathname };
    case 'npipe:':
      return { kind: 'unix', socketPath: endpoint.slice('npipe://'.length) };
    case 'tcp:':
    case 'http:':
    case 'https:': {
      const tls = tlsFiles(url);
      return { kind: 'tcp', host: url.hostname, port: Number(url.port || 2375), ...(tls === undefined ? {} : { tls }) };
    }
    default:
      throw new UsageError(`unsupported Docker host "${endpoint}": expected unix:///path, tcp://host:port or ssh://user@host`);
  }
}

function tlsFiles(url: URL): TlsFiles | undefined {
  const tls = url.protocol === 'https:' || url.port === '2376' || process.env.DOCKER_TLS_VERIFY === '1';
  if (!tls) return undefined;
  const dir = process.env.DOCKER_CERT_PATH ?? join(homedir(), '.docker');
  // Certificates are optional: a public CA may sign the engine's.
  const read = (file: string): Buffer | undefined => (existsSync(join(dir, file)) ? readFileSync(join(dir, file)) : undefined);
  return { ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') };
}
