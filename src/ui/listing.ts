// What `top`, `images` and `ls` print, laid out as compose's Go tabwriters lay them out. Pure.
import type { ImageDetails, ProcessTable } from '../engine/engine.js';
import { humanDuration } from './table.js';

export interface ColumnLayout {
  /** Narrowest a column may be, padding included. */
  readonly minWidth: number;
  readonly padding: number;
}

/** compose's tables (images, ls): tabwriter.NewWriter(out, 20, 1, 3, ' ', 0). */
export const SECTION_LAYOUT: ColumnLayout = { minWidth: 20, padding: 3 };
/** compose's top: tabwriter.NewWriter(out, 4, 1, 2, ' ', 0). */
export const TOP_LAYOUT: ColumnLayout = { minWidth: 4, padding: 2 };

/** Lines of cells as Go's tabwriter aligns them: every column but the last padded. Ends with a newline. */
export function alignColumns(lines: readonly (readonly string[])[], layout: ColumnLayout): string {
  const columns = Math.max(0, ...lines.map((line) => line.length));
  const widths = Array.from({ length: columns }, (_, column) =>
    lines.reduce((width, line) => (column < line.length - 1 ? Math.max(width, [...(line[column] ?? '')].length + layout.padding) : width), layout.minWidth));
  return lines
    .map((line) => line.map((cell, column) => (column === line.length - 1 ? cell : cell.padEnd((widths[column] ?? 0) - ([...cell].length - cell.length)))).join(''))
    .map((text) => `${text}\n`)
    .join('');
}

export interface TopEntry {
  readonly service: string;
  /** The container number (compose's "#"). */
  readonly replica: string;
  readonly table: ProcessTable;
}

/**
 * One table for all containers, as compose prints `top`: SERVICE and # first, then each title in
 * the order first seen, CMD last; '-' where a container's table lacks a column.
 */
export function renderTop(entries: readonly TopEntry[]): string {
  const titles: string[] = [];
  for (const entry of entries) for (const title of entry.table.titles) if (!titles.includes(title)) titles.push(title);
  const ordered = [...titles.filter((t) => t !== 'CMD'), ...(titles.includes('CMD') ? ['CMD'] : [])];
  const rows = entries.flatMap((entry) =>
    entry.table.processes.map((process) => [
      entry.service,
      entry.replica,
      ...ordered.map((title) => {
        const at = entry.table.titles.indexOf(title);
        return at < 0 ? '-' : (process[at] ?? '-');
      }),
    ]));
  if (rows.length === 0) return '';
  return alignColumns([['SERVICE', '#', ...ordered], ...rows], TOP_LAYOUT);
}

export interface ImageRow {
  readonly container: string;
  /** The image reference the container was created from ('gantry-test/busybox:1'). */
  readonly reference: string;
  readonly image: ImageDetails;
}

/** Repository and tag of a reference, as compose reads them (`:latest` when none is given). */
export function splitReference(reference: string): { repository: string; tag: string } {
  if (/^(sha256:)?[0-9a-f]{12,64}$/.test(reference)) return { repository: '', tag: '' };
  const at = reference.indexOf('@');
  const named = at < 0 ? reference : reference.slice(0, at);
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  const repository = (hasTag ? named.slice(0, colon) : named).replace(/^docker\.io\/(library\/)?/, '');
  return { repository, tag: hasTag ? named.slice(colon + 1) : at < 0 ? 'latest' : '' };
}

/** go-units HumanSizeWithPrecision(size, 3): decimal units, three significant digits. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < units.length - 1) {
    size /= 1000;
    unit++;
  }
  return `${Number(size.toPrecision(3))}${units[unit]}`;
}

export function renderImages(rows: readonly ImageRow[], now: Date): string {
  const sorted = [...rows].sort((a, b) => (a.container < b.container ? -1 : a.container > b.container ? 1 : 0));
  const lines = sorted.map((row) => {
    const { repository, tag } = splitReference(row.reference);
    const created = row.image.created === undefined ? 'N/A' : `${humanDuration(now.getTime() - Date.parse(row.image.created))} ago`;
    return [row.container, repository || '<none>', tag || '<none>', row.image.platform, shortId(row.image.id), humanSize(row.image.size), created];
  });
  return alignColumns([['CONTAINER', 'REPOSITORY', 'TAG', 'PLATFORM', 'IMAGE ID', 'SIZE', 'CREATED'], ...lines], SECTION_LAYOUT);
}

/** `images --format json`: one array, compose's keys. */
export function toImagesJson(rows: readonly ImageRow[]): Record<string, unknown>[] {
  return rows.map((row) => {
    const { repository, tag } = splitReference(row.reference);
    return {
      ID: row.image.id,
      ContainerName: row.container,
      Repository: repository,
      Tag: tag,
      Platform: row.image.platform,
      Size: row.image.size,
      ...(row.image.created === undefined ? {} : { Created: row.image.created }),
    };
  });
}

/** 12 hex characters, without the 'sha256:' prefix. */
export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

export interface Stack {
  readonly name: string;
  /** 'exited(1), running(2)': counts per state, states sorted. */
  readonly status: string;
  /** Comma-separated config files, in the order first seen. */
  readonly configFiles: string;
}

/** Projects from containers' labels, as compose's `ls` groups them; sorted by name. */
export function groupStacks(containers: readonly { readonly state: string; readonly labels: Readonly<Record<string, string>> }[]): Stack[] {
  const byProject = new Map<string, { states: Map<string, number>; files: string[] }>();
  for (const c of containers) {
    const name = c.labels['com.docker.compose.project'];
    if (name === undefined) continue;
    const entry = byProject.get(name) ?? { states: new Map<string, number>(), files: [] };
    entry.states.set(c.state, (entry.states.get(c.state) ?? 0) + 1);
    for (const file of (c.labels['com.docker.compose.project.config_files'] ?? '').split(',')) {
      if (file !== '' && !entry.files.includes(file)) entry.files.push(file);
    }
    byProject.set(name, entry);
  }
  return [...byProject.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, { states, files }]) => ({
      name,
      status: [...states.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([state, n]) => `${state}(${n})`).join(', '),
      configFiles: files.join(','),
    }));
}

export function renderStacks(stacks: readonly Stack[]): string {
  return alignColumns([['NAME', 'STATUS', 'CONFIG FILES'], ...stacks.map((s) => [s.name, s.status, s.configFiles])], SECTION_LAYOUT);
}

export function toStacksJson(stacks: readonly Stack[]): Record<string, string>[] {
  return stacks.map((s) => ({ Name: s.name, Status: s.status, ConfigFiles: s.configFiles }));
}
