// Narrows the Docker Engine's JSON (unknown at the boundary) into Gantry's engine types, once,
// so nothing past docker-engine.ts ever sees a PascalCase field or a leading '/' in a name.
import type {
  ContainerDetails,
  ContainerEvent,
  ContainerMount,
  ContainerState,
  ContainerSummary,
  HealthStatus,
  NetworkSummary,
  PublishedPort,
  PullProgress,
  VolumeSummary,
} from './engine.js';
import { opt } from '../optional.js';
import { humanDuration } from '../human-duration.js';

type Json = Readonly<Record<string, unknown>>;

const STATES: readonly ContainerState[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];
const HEALTH: readonly HealthStatus[] = ['starting', 'healthy', 'unhealthy'];
/** Event attributes the engine adds next to the container's labels. */
const EVENT_ATTRIBUTES = new Set(['name', 'image', 'exitCode', 'signal', 'execID', 'container']);
/** The engine writes this for "never" in StartedAt / FinishedAt. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

export function toRecord(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

export function toText(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function toOptionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

export function toList(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function toLabels(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(toRecord(value)).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function toState(value: unknown): ContainerState {
  return STATES.find((s) => s === value) ?? 'dead';
}

function toHealth(value: unknown): HealthStatus {
  return HEALTH.find((s) => s === value) ?? 'none';
}

function toTime(value: unknown): string | undefined {
  const text = toOptionalText(value);
  return text === undefined || text.startsWith(ZERO_TIME.slice(0, 10)) ? undefined : text;
}

/** An entry of GET /containers/json. */
export function toContainerSummary(value: unknown): ContainerSummary {
  const c = toRecord(value);
  return {
    id: toText(c.Id),
    name: toText(toList(c.Names)[0]).replace(/^\//, ''),
    image: toText(c.Image),
    imageId: toText(c.ImageID),
    command: toText(c.Command),
    created: toNumber(c.Created),
    state: toState(c.State),
    status: toText(c.Status),
    labels: toLabels(c.Labels),
    ports: toList(c.Ports).map(toListedPort),
    networks: Object.keys(toRecord(toRecord(c.NetworkSettings).Networks)),
    mounts: toList(c.Mounts).map(toMount),
  };
}

function toListedPort(value: unknown): PublishedPort {
  const p = toRecord(value);
  return { ...opt('url', toOptionalText(p.IP)), targetPort: toNumber(p.PrivatePort), publishedPort: toNumber(p.PublicPort), protocol: toText(p.Type) };
}

/** GET /containers/{id}/json; `now` (ms) dates the human status line. */
export function toContainerDetails(value: unknown, now: number): ContainerDetails {
  const c = toRecord(value);
  const config = toRecord(c.Config);
  const state = toRecord(c.State);
  const health = toRecord(state.Health);
  const network = toRecord(c.NetworkSettings);
  const log = toList(health.Log);
  const details: ContainerDetails = {
    id: toText(c.Id),
    name: toText(c.Name).replace(/^\//, ''),
    image: toText(config.Image),
    imageId: toText(c.Image),
    command: [toText(c.Path), ...toList(c.Args).map(toText)].filter((s) => s !== '').join(' '),
    created: Math.floor(Date.parse(toText(c.Created)) / 1000) || 0,
    state: toState(state.Status),
    status: '',
    labels: toLabels(config.Labels),
    ports: Object.entries(toRecord(network.Ports)).flatMap(([key, bindings]) => toInspectedPorts(key, bindings)),
    networks: Object.keys(toRecord(network.Networks)),
    exitCode: toNumber(state.ExitCode),
    health: toHealth(health.Status),
    ...opt('lastHealthOutput', toOptionalText(toRecord(log[log.length - 1]).Output)?.trim()),
    ...opt('startedAt', toTime(state.StartedAt)),
    ...opt('finishedAt', toTime(state.FinishedAt)),
    ...opt('error', toOptionalText(state.Error)),
    restartCount: toNumber(c.RestartCount),
    mounts: toList(c.Mounts).map(toMount),
  };
  return { ...details, status: describeStatus(details, now) };
}

function toInspectedPorts(key: string, bindings: unknown): PublishedPort[] {
  const [port = '0', protocol = 'tcp'] = key.split('/');
  const targetPort = Number(port);
  const list = toList(bindings);
  if (list.length === 0) return [{ targetPort, publishedPort: 0, protocol }];
  return list.map((binding) => {
    const b = toRecord(binding);
    return { ...opt('url', toOptionalText(b.HostIp)), targetPort, publishedPort: Number(toText(b.HostPort)) || 0, protocol };
  });
}

function toMount(value: unknown): ContainerMount {
  const m = toRecord(value);
  return { type: toText(m.Type), ...opt('name', toOptionalText(m.Name)), source: toText(m.Source), destination: toText(m.Destination) };
}

/** The STATUS column as `docker ps` words it: "Up 3 seconds (healthy)", "Exited (1) 2 minutes ago". */
export function describeStatus(c: ContainerDetails, now: number): string {
  const since = (time: string | undefined): string => humanDuration(now - (time === undefined ? now : Date.parse(time)));
  switch (c.state) {
    case 'created': return 'Created';
    case 'running': return `Up ${since(c.startedAt)}${c.health === 'none' ? '' : c.health === 'starting' ? ' (health: starting)' : ` (${c.health})`}`;
    case 'paused': return `Up ${since(c.startedAt)} (Paused)`;
    case 'restarting': return `Restarting (${c.exitCode}) ${since(c.finishedAt)} ago`;
    case 'removing': return 'Removal In Progress';
    case 'exited': return `Exited (${c.exitCode}) ${since(c.finishedAt)} ago`;
    case 'dead': return 'Dead';
  }
}


export function toNetworkSummary(value: unknown): NetworkSummary {
  const n = toRecord(value);
  return { id: toText(n.Id), name: toText(n.Name), driver: toText(n.Driver), labels: toLabels(n.Labels), ...opt('created', toOptionalText(n.Created)) };
}

export function toVolumeSummary(value: unknown): VolumeSummary {
  const v = toRecord(value);
  return { name: toText(v.Name), driver: toText(v.Driver), labels: toLabels(v.Labels), ...opt('mountpoint', toOptionalText(v.Mountpoint)) };
}

/** One line of the pull stream: progress, or the error the engine reports inside a 200 response. */
export function toPullLine(value: unknown): { progress: PullProgress } | { error: string } {
  const line = toRecord(value);
  const error = toOptionalText(line.error) ?? toOptionalText(toRecord(line.errorDetail).message);
  if (error !== undefined) return { error };
  const detail = toRecord(line.progressDetail);
  return {
    progress: {
      status: toText(line.status),
      ...opt('layer', toOptionalText(line.id)),
      ...opt('current', typeof detail.current === 'number' ? detail.current : undefined),
      ...opt('total', typeof detail.total === 'number' ? detail.total : undefined),
    },
  };
}

/** One line of GET /events for a container; undefined for events Gantry does not follow (exec_*). */
export function toContainerEvent(value: unknown): ContainerEvent | undefined {
  const e = toRecord(value);
  const actor = toRecord(e.Actor);
  const action = toText(e.Action) || toText(e.status);
  if (toText(e.Type) !== 'container' || action === '' || action.startsWith('exec_')) return undefined;
  const attributes = toLabels(actor.Attributes);
  const labels = Object.fromEntries(Object.entries(attributes).filter(([key]) => !EVENT_ATTRIBUTES.has(key)));
  const exitCode = attributes.exitCode === undefined ? undefined : Number(attributes.exitCode);
  return { id: toText(actor.ID) || toText(e.id), action, labels, ...opt('exitCode', exitCode) };
}
