// The fake engine's shapes: its public types, what it reads from an Engine API create body (as
// container-spec.ts writes it, narrowed from `unknown` once) and the summaries it answers with.
import type { ContainerDetails, ContainerSpec, ContainerState, ContainerSummary, Engine, HealthStatus, ImageHistory, Labels, NetworkSummary, VolumeSummary } from '../../src/engine/engine.js';

export interface FakeCall {
  readonly operation: string;
  readonly resource: string;
  /** Order of call starts and ends among all calls (one counter), for ordering assertions. */
  readonly startSeq: number;
  endSeq?: number;
  readonly startedAt: number;
  endedAt?: number;
  ok?: boolean;
}

export interface FailRule {
  /** Engine method name, e.g. 'startContainer'. */
  readonly operation: string;
  /** Container/network/volume name or id, or image ref; any when omitted. */
  readonly resource?: string;
  readonly statusCode?: number;
  readonly message?: string;
}

export interface FakeEngineOptions {
  /** Simulated latency per call in ms (real timers). @default 0 */
  readonly latencyMs?: number | ((operation: string, resource: string) => number);
  readonly failOn?: readonly FailRule[];
  /** Images present from the start. */
  readonly images?: readonly string[];
  /** History and config paths of present images, by reference. @default an empty history */
  readonly imageHistories?: Readonly<Record<string, ImageHistory>>;
  /** Images a pull can fetch. @default any image */
  readonly registry?: readonly string[];
  /** Exit code a container exits with right after it starts (one-shot jobs); undefined keeps it running. */
  readonly exitOnStart?: (container: { readonly name: string; readonly image: string; readonly command: readonly string[] }) => number | undefined;
  /** Health a container with a healthcheck reports right after it starts. @default stays 'starting' */
  readonly healthOnStart?: (container: { readonly name: string; readonly image: string }) => HealthStatus | undefined;
  /** Called as each call starts (before its latency), e.g. to abort at a precise point. */
  readonly onCall?: (call: FakeCall) => void;
}

export interface FakeEngine extends Engine {
  readonly calls: FakeCall[];
  /** The most calls in flight at once (watchContainers streams are not counted). */
  readonly maxConcurrent: number;
  readonly containers: ReadonlyMap<string, FakeContainer>;
  readonly networks: readonly NetworkSummary[];
  readonly volumes: ReadonlyMap<string, VolumeSummary>;
  readonly images: ReadonlySet<string>;
  container(nameOrId: string): FakeContainer | undefined;
  setHealth(nameOrId: string, health: HealthStatus, output?: string): void;
  exitContainer(nameOrId: string, exitCode: number): void;
  /** The tar archives copyToContainer unpacked into a container, in order, with their paths. */
  copiedArchives(nameOrId: string): readonly { readonly path: string; readonly archive: Buffer }[];
  /** Appends a line to the container's log (containerLogs replays and follows it). */
  printLog(nameOrId: string, stream: 'stdout' | 'stderr', line: string): void;
  failOn(rule: FailRule): void;
  resetCalls(): void;
}


export interface SpecBody {
  readonly image: string;
  readonly command: readonly string[];
  readonly labels: Labels;
  /** A healthcheck that runs (not absent, not NONE). */
  readonly healthcheck: boolean;
  /** User-defined networks the container joins (create body and extra networks). */
  readonly networks: readonly string[];
  /** Named volumes it mounts. */
  readonly volumes: readonly string[];
}

/** A container as the fake keeps it. */
export interface FakeContainer extends SpecBody {
  readonly id: string;
  readonly name: string;
  state: ContainerState;
  exitCode: number;
  health: HealthStatus;
  lastHealthOutput?: string;
  readonly created: number;
  startedAt?: string;
  finishedAt?: string;
}

const BUILTIN_NETWORK_MODES = new Set(['bridge', 'host', 'none', 'default']);

export function readSpecBody(spec: ContainerSpec): SpecBody {
  const body = spec.body;
  const host = asRecord(body.HostConfig);
  const test = asStrings(asRecord(body.Healthcheck).Test);
  return {
    image: typeof body.Image === 'string' ? body.Image : '',
    command: asStrings(body.Cmd),
    labels: Object.fromEntries(Object.entries(asRecord(body.Labels)).filter((e): e is [string, string] => typeof e[1] === 'string')),
    healthcheck: test.length > 0 && test[0] !== 'NONE',
    networks: [...new Set([...networkModeOf(host.NetworkMode), ...Object.keys(asRecord(asRecord(body.NetworkingConfig).EndpointsConfig)), ...spec.extraNetworks.map((n) => n.name)])],
    volumes: namedVolumes(host),
  };
}

function networkModeOf(mode: unknown): string[] {
  if (typeof mode !== 'string' || BUILTIN_NETWORK_MODES.has(mode) || mode.startsWith('container:')) return [];
  return [mode];
}

function namedVolumes(host: Record<string, unknown>): string[] {
  const fromMounts = asList(host.Mounts)
    .map(asRecord)
    .filter((m) => m.Type === 'volume' && typeof m.Source === 'string' && m.Source !== '')
    .map((m) => String(m.Source));
  // A Binds source without a slash is a volume name, as the engine reads it.
  const fromBinds = asStrings(host.Binds)
    .map((b) => b.split(':')[0] ?? '')
    .filter((source) => source !== '' && !source.includes('/'));
  return [...new Set([...fromMounts, ...fromBinds])];
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function asStrings(value: unknown): string[] {
  return asList(value).filter((v): v is string => typeof v === 'string');
}

export function toSummary(c: FakeContainer): ContainerSummary {
  const health = c.health === 'none' ? '' : c.health === 'starting' ? ' (health: starting)' : ` (${c.health})`;
  const status = c.state === 'running' ? `Up Less than a second${health}` : c.state === 'exited' ? `Exited (${c.exitCode}) Less than a second ago` : 'Created';
  return {
    id: c.id, name: c.name, image: c.image, imageId: `sha256:${normalizeRef(c.image)}`, command: c.command.join(' '), created: c.created,
    state: c.state, status, labels: c.labels, ports: [], networks: [...c.networks],
  };
}

export function toDetails(c: FakeContainer): ContainerDetails {
  return {
    ...toSummary(c), exitCode: c.exitCode, health: c.health, restartCount: 0,
    ...(c.lastHealthOutput === undefined ? {} : { lastHealthOutput: c.lastHealthOutput }),
    ...(c.startedAt === undefined ? {} : { startedAt: c.startedAt }),
    ...(c.finishedAt === undefined ? {} : { finishedAt: c.finishedAt }),
    mounts: c.volumes.map((name) => ({ type: 'volume', name, source: `/var/lib/docker/volumes/${name}/_data`, destination: '' })),
  };
}

/** 'busybox' and 'busybox:latest' are one image, as on the engine. */
export function normalizeRef(ref: string): string {
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  return last.includes(':') || ref.includes('@') ? ref : `${ref}:latest`;
}
