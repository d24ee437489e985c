// What exists on the engine for one project, read back from compose labels only: the planner's
// other input next to the Project, and all that `down` and `ps` need when there is no file.
import type { ContainerState, ContainerSummary, HealthStatus, Labels, NetworkSummary, VolumeSummary } from '../engine/engine.js';
import { LABEL } from './labels.js';

export interface ObservedContainer {
  readonly id: string;
  readonly name: string;
  readonly service: string;
  /** com.docker.compose.container-number; 0 when the label is missing or not a number. */
  readonly number: number;
  /** A `run` container (com.docker.compose.oneoff=True): never part of a service's replicas. */
  readonly oneoff: boolean;
  readonly configHash?: string;
  readonly state: ContainerState;
  /** Parsed from the summary status ("Up 3 s (healthy)"); 'none' without a healthcheck. */
  readonly health: HealthStatus;
  readonly image: string;
  /** The id of the image it runs ('sha256:…'): what a tag named when it was created. */
  readonly imageId: string;
  /** Unix seconds. */
  readonly created: number;
  /** Services named in com.docker.compose.depends_on, so `down` can order without the file. */
  readonly dependsOn: readonly string[];
  readonly labels: Labels;
  /** Its volume mounts (named and anonymous), so a replacement can inherit the anonymous ones. */
  readonly volumeMounts: readonly ObservedVolumeMount[];
}

export interface ObservedVolumeMount {
  /** The path in the container, without a trailing slash. */
  readonly target: string;
  /** The engine's volume name: a 64-hex id for an anonymous volume. */
  readonly name: string;
}

export interface ObservedNetwork {
  readonly id: string;
  /** The compose key (com.docker.compose.network), e.g. 'default'. */
  readonly key: string;
  readonly name: string;
  readonly created?: string;
  readonly labels: Labels;
}

export interface ObservedVolume {
  /** The compose key (com.docker.compose.volume). */
  readonly key: string;
  readonly name: string;
  readonly labels: Labels;
}

export interface ObservedState {
  /** Sorted by service, then number, then name. */
  readonly containers: readonly ObservedContainer[];
  /** Sorted by key, then creation (oldest first: the one duplicates converge on). */
  readonly networks: readonly ObservedNetwork[];
  readonly volumes: readonly ObservedVolume[];
}

export interface ObservedInput {
  readonly containers: readonly ContainerSummary[];
  readonly networks: readonly NetworkSummary[];
  readonly volumes: readonly VolumeSummary[];
}

/** Pure: keeps only resources carrying compose's service/network/volume label. */
export function createObservedState(input: ObservedInput): ObservedState {
  const containers = input.containers.filter((c) => c.labels[LABEL.service] !== undefined).map(toObservedContainer);
  containers.sort((a, b) => compareText(a.service, b.service) || a.number - b.number || compareText(a.name, b.name));
  const networks: ObservedNetwork[] = input.networks
    .filter((n) => n.labels[LABEL.network] !== undefined)
    .map((n) => ({ id: n.id, key: n.labels[LABEL.network] ?? '', name: n.name, labels: n.labels, ...(n.created === undefined ? {} : { created: n.created }) }));
  networks.sort((a, b) => compareText(a.key, b.key) || compareNetworkAge(a, b));
  const volumes: ObservedVolume[] = input.volumes
    .filter((v) => v.labels[LABEL.volume] !== undefined)
    .map((v) => ({ key: v.labels[LABEL.volume] ?? '', name: v.name, labels: v.labels }));
  volumes.sort((a, b) => compareText(a.key, b.key) || compareText(a.name, b.name));
  return { containers, networks, volumes };
}

/** The service's containers (not one-off), lowest number first. */
export function containersOf(observed: ObservedState, service: string): ObservedContainer[] {
  return observed.containers.filter((c) => c.service === service && !c.oneoff);
}

/**
 * Every network labelled for `key` under that name, oldest first: engine 20.10 lets a crashed
 * concurrent `up` leave a duplicate behind. The first (oldest Created, then id) is the one every
 * run keeps.
 */
export function findObservedNetworks(observed: ObservedState, key: string, name: string): ObservedNetwork[] {
  return observed.networks.filter((n) => n.key === key && n.name === name);
}

export function findObservedVolume(observed: ObservedState, key: string, name: string): ObservedVolume | undefined {
  return observed.volumes.find((v) => v.key === key && v.name === name);
}

/** Compose writes `db:service_healthy:false,cache:service_started:true`; only the names order `down`. */
export function parseDependsOnLabel(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return [];
  return value
    .split(',')
    .map((entry) => entry.split(':')[0]?.trim() ?? '')
    .filter((name) => name !== '');
}

/** Health as the summary status shows it; only inspect has it as a field. */
export function parseHealth(status: string): HealthStatus {
  if (/\(healthy\)/.test(status)) return 'healthy';
  if (/\(unhealthy\)/.test(status)) return 'unhealthy';
  if (/\(health: starting\)/.test(status)) return 'starting';
  return 'none';
}

function toObservedContainer(c: ContainerSummary): ObservedContainer {
  const number = Number.parseInt(c.labels[LABEL.containerNumber] ?? '', 10);
  const hash = c.labels[LABEL.configHash];
  return {
    id: c.id,
    name: c.name,
    service: c.labels[LABEL.service] ?? '',
    number: Number.isFinite(number) ? number : 0,
    oneoff: (c.labels[LABEL.oneoff] ?? '').toLowerCase() === 'true',
    ...(hash === undefined ? {} : { configHash: hash }),
    state: c.state,
    health: parseHealth(c.status),
    image: c.image,
    imageId: c.imageId,
    created: c.created,
    dependsOn: parseDependsOnLabel(c.labels[LABEL.dependsOn]),
    labels: c.labels,
    volumeMounts: (c.mounts ?? [])
      .filter((m) => m.type === 'volume' && m.name !== undefined && m.name !== '')
      .map((m) => ({ target: normalizeTarget(m.destination), name: m.name ?? '' })),
  };
}

/** '/cache/' and '/cache' are one mount point. */
export function normalizeTarget(target: string): string {
  return target.length > 1 ? target.replace(/\/+$/, '') : target;
}

/** The engine names an anonymous volume with 64 hex digits; a named volume never looks like that in practice. */
export function isAnonymousVolumeName(name: string): boolean {
  return /^[0-9a-f]{64}$/.test(name);
}

/**
 * Oldest Created first, then id: the order every run uses to pick the one of several same-named
 * networks it keeps, so concurrent runs agree. Created is RFC 3339 with trailing zeros of the
 * fraction trimmed ('.12Z' is earlier than '.123Z'), so text order alone would be wrong.
 */
export function compareNetworkAge(a: { readonly id: string; readonly created?: string }, b: { readonly id: string; readonly created?: string }): number {
  const [aSeconds, aFraction] = splitTimestamp(a.created);
  const [bSeconds, bFraction] = splitTimestamp(b.created);
  return aSeconds - bSeconds || compareText(aFraction, bFraction) || compareText(a.id, b.id);
}

/** Whole seconds since the epoch (NaN-free: unknown sorts first) and the fraction padded to 9 digits. */
function splitTimestamp(created: string | undefined): [number, string] {
  const match = /^([^.]+?)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$/.exec(created ?? '');
  const seconds = match === null ? Number.NaN : Date.parse(`${match[1] ?? ''}${match[3] ?? 'Z'}`);
  return [Number.isNaN(seconds) ? 0 : seconds, (match?.[2] ?? '').padEnd(9, '0')];
}

/** The 12 hex digits docker shows: enough to tell same-named networks apart in plan ids and causes. */
export function shortId(id: string): string {
  return id.slice(0, 12);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
