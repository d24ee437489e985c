// What `ps` prints, byte for byte like `docker compose ps`: the table, its cells, and the `--format json` objects. Pure.
import type { ContainerDetails, ContainerSummary, PublishedPort } from '../engine/engine.js';
import { LABEL } from '../plan/labels.js';
import { humanDuration } from '../human-duration.js';

export { humanDuration };

/** One `ps` table line, every cell already formatted. */
export interface PsRow {
  readonly name: string;
  readonly image: string;
  /** Quoted and truncated: `"sh -c 'sleep 1000'"`, `"/docker-entrypoint.…"`. */
  readonly command: string;
  readonly service: string;
  /** `2 minutes ago`. */
  readonly created: string;
  /** The engine's status (`Up 3 seconds (healthy)`, `Exited (0) 5 seconds ago`). */
  readonly status: string;
  /** `0.0.0.0:8080->80/tcp, [::]:8080->80/tcp, 9000/udp`. */
  readonly ports: string;
}

export const PS_HEADERS = ['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'] as const;

/** Characters, not UTF-16 units: what Go's tabwriter and the CLI's truncation count. */
function runeLength(text: string): number {
  return Array.from(text).length;
}

/** Cuts `text` to `width` characters, the last one an ellipsis, as the docker CLI truncates. */
export function ellipsis(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  if (width <= 0) return '';
  return `${chars.slice(0, width - 1).join('')}…`;
}


/** An address as it stands before `:port`: IPv6 in brackets. */
function hostPart(ip: string): string {
  return ip.includes(':') ? `[${ip}]` : ip;
}

function comparePorts(a: PublishedPort, b: PublishedPort): number {
  const ipA = a.url ?? '';
  const ipB = b.url ?? '';
  if (a.targetPort !== b.targetPort) return a.targetPort - b.targetPort;
  if (ipA !== ipB) return ipA < ipB ? -1 : 1;
  if (a.publishedPort !== b.publishedPort) return a.publishedPort - b.publishedPort;
  return a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0;
}

interface PortRun {
  readonly ip: string;
  readonly protocol: string;
  first: number;
  last: number;
}

function formatRun(run: PortRun): string {
  const range = run.first === run.last ? `${run.first}` : `${run.first}-${run.last}`;
  return run.ip === '' ? `${range}/${run.protocol}` : `${hostPart(run.ip)}:${range}->${range}/${run.protocol}`;
}

/**
 * The PORTS cell, as the docker CLI builds it: consecutive ports that publish to themselves collapse into
 * ranges (`8000-8002/tcp`), other host mappings follow one by one (`127.0.0.1:8080->80/tcp`).
 */
export function formatPorts(ports: readonly PublishedPort[]): string {
  const runs = new Map<string, PortRun>();
  const closed: string[] = [];
  const mappings: string[] = [];
  for (const port of [...ports].sort(comparePorts)) {
    const ip = port.url ?? '';
    if (ip !== '' && port.publishedPort !== port.targetPort) {
      mappings.push(`${hostPart(ip)}:${port.publishedPort}->${port.targetPort}/${port.protocol}`);
      continue;
    }
    const key = `${ip}/${port.protocol}`;
    const run = runs.get(key);
    if (run !== undefined && port.targetPort === run.last + 1) {
      run.last = port.targetPort;
      continue;
    }
    if (run !== undefined) closed.push(formatRun(run));
    // Re-inserting keeps the key's first position, as the CLI's ordered key list does.
    runs.set(key, { ip, protocol: port.protocol, first: port.targetPort, last: port.targetPort });
  }
  return [...closed, ...[...runs.values()].map(formatRun), ...mappings].join(', ');
}

/** The inspect result when the summary is one (ContainerDetails extends ContainerSummary). */
function detailsOf(c: ContainerSummary, details?: ContainerDetails): ContainerDetails | undefined {
  if (details !== undefined) return details;
  return 'exitCode' in c && 'health' in c ? (c as ContainerDetails) : undefined;
}

/** STATUS when the engine gave none: compose's older wording, `running (healthy)`, `exited (1)`. */
function fallbackStatus(c: ContainerSummary, details?: ContainerDetails): string {
  if (details === undefined) return c.state;
  if (c.state === 'running' && details.health !== 'none') return `running (${details.health})`;
  if (c.state === 'exited' || c.state === 'dead') return `${c.state} (${details.exitCode})`;
  return c.state;
}

function quotedCommand(command: string): string {
  return JSON.stringify(ellipsis(command, 20));
}

function runningFor(c: ContainerSummary, now: Date): string {
  return `${humanDuration(now.getTime() - c.created * 1000)} ago`;
}

/** One container as its `ps` table line; `details` (inspect) only matter when the engine gave no status. */
export function toPsRow(c: ContainerSummary, now: Date, details?: ContainerDetails): PsRow {
  return {
    name: c.name,
    image: c.image,
    command: quotedCommand(c.command),
    service: c.labels[LABEL.service] ?? '',
    created: runningFor(c, now),
    status: c.status !== '' ? c.status : fallbackStatus(c, detailsOf(c, details)),
    ports: formatPorts(c.ports),
  };
}

/**
 * A text table as the docker CLI aligns it (Go tabwriter: minimum width 10, padding 3): every column but the
 * last is padded, so lines may end in spaces exactly as compose's do. Ends with a newline.
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [headers, ...rows];
  const lastColumn = headers.length - 1;
  const widths = headers.map((_, column) =>
    lines.reduce((width, line) => Math.max(width, runeLength(line[column] ?? '') + 3), 10),
  );
  const renderLine = (line: readonly string[]): string =>
    headers
      .map((_, column) => {
        const cell = line[column] ?? '';
        return column === lastColumn ? cell : cell + ' '.repeat((widths[column] ?? 0) - runeLength(cell));
      })
      .join('');
  return lines.map((line) => `${renderLine(line)}\n`).join('');
}

export function renderPsTable(rows: readonly PsRow[]): string {
  const cells = rows.map((r) => [r.name, r.image, r.command, r.service, r.created, r.status, r.ports]);
  return renderTable(PS_HEADERS, cells);
}

/** Go's time.String() for a Unix time, in UTC: `2024-05-02 08:21:53 +0000 UTC`. */
function goTimeString(unixSeconds: number): string {
  const iso = new Date(unixSeconds * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}

function publishers(ports: readonly PublishedPort[]): Record<string, unknown>[] {
  return [...ports]
    .sort((a, b) => a.targetPort - b.targetPort)
    .map((p) => ({ URL: p.url ?? '', TargetPort: p.targetPort, PublishedPort: p.publishedPort, Protocol: p.protocol }));
}

/**
 * One container as `docker compose ps --format json` prints it (one object per line): the same keys in the
 * same (alphabetical) order and the same truncations (12-character ID, 20-character quoted command).
 * Two approximations: CreatedAt is in UTC, and LocalVolumes counts volume mounts (the engine's mount list
 * here has no driver). Health and ExitCode need `details` (inspect), as compose inspects each container.
 */
export function toPsJson(c: ContainerSummary, details?: ContainerDetails, now: Date = new Date()): Record<string, unknown> {
  const d = detailsOf(c, details);
  const mounts = d?.mounts ?? [];
  const running = c.state === 'running';
  const stopped = c.state === 'exited' || c.state === 'dead';
  return {
    Command: quotedCommand(c.command),
    CreatedAt: goTimeString(c.created),
    ExitCode: stopped ? (d?.exitCode ?? 0) : 0,
    Health: running && d !== undefined && d.health !== 'none' ? d.health : '',
    ID: c.id.slice(0, 12),
    Image: c.image,
    Labels: Object.keys(c.labels).sort().map((key) => `${key}=${c.labels[key] ?? ''}`).join(','),
    LocalVolumes: String(mounts.filter((m) => m.type === 'volume').length),
    Mounts: mounts.map((m) => ellipsis(m.name !== undefined && m.name !== '' ? m.name : m.source, 15)).join(','),
    Name: c.name,
    Names: c.name,
    Networks: c.networks.join(','),
    Ports: formatPorts(c.ports),
    Project: c.labels[LABEL.project] ?? '',
    Publishers: publishers(c.ports),
    RunningFor: runningFor(c, now),
    Service: c.labels[LABEL.service] ?? '',
    Size: '0B',
    State: c.state,
    Status: c.status,
  };
}
