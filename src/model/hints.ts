// Hints: warnings about files that load fine but probably do not do what their author meant
// (the mistakes learners make most). Never errors; each names the file and line and the fix.
// Computed only when a command asks for them, after the model has loaded.
import { statSync } from 'node:fs';
import type { ConfigIssue } from '../errors.js';
import { findBaseSixtyPorts, findObsoleteVersion, findBareDollars } from './hints-yaml.js';
import type { SourceFile } from './source.js';
import type { Project, Service } from './types.js';
import { createValueLocator, type ValueLocator } from './value-locator.js';

export type HintCode =
  | 'obsolete-version' | 'localhost-service' | 'host-docker-internal' | 'database-without-volume' | 'missing-bind-source'
  | 'base-60-port' | 'bare-dollar' | 'depends-on-healthcheck' | 'interactive-shell'
  // Needs the image (hints-image.ts), so only `up` and `plan` find it.
  | 'bind-hides-image';

export interface Hint extends ConfigIssue {
  readonly code: HintCode;
  /** The fix, always given. */
  readonly hint: string;
}

export interface HintOptions {
  /** Whether a host path exists. @default the file system */
  readonly pathExists?: (path: string) => boolean;
  /** The interpolation variables (to tell a `$NAME` that resolves from one that does not). */
  readonly lookup?: (name: string) => string | undefined;
}

export interface HintContext {
  readonly project: Project;
  readonly sources: readonly SourceFile[];
  readonly locator: ValueLocator;
  readonly pathExists: (path: string) => boolean;
  readonly lookup: (name: string) => string | undefined;
  readonly hint: (code: HintCode, path: readonly (string | number)[], message: string, fix: string) => Hint;
}

type Rule = (ctx: HintContext) => Hint[];

const RULES: readonly Rule[] = [
  findObsoleteVersion, findLocalhostReferences, findHostDockerInternal, findDatabasesWithoutVolume, findMissingBindSources,
  findBaseSixtyPorts, findBareDollars, findDependsOnWithoutHealthy, findInteractiveShells,
];

/** Every hint for a loaded project, sorted by file and line. */
export function findHints(project: Project, sources: readonly SourceFile[], options: HintOptions = {}): Hint[] {
  const locator = createValueLocator(sources);
  const ctx: HintContext = {
    project, sources, locator,
    pathExists: options.pathExists ?? existsOnDisk,
    lookup: options.lookup ?? (() => undefined),
    hint: (code, path, message, fix) => ({ ...locator.issue(path, message), code, hint: fix }),
  };
  const hints = RULES.flatMap((rule) => rule(ctx));
  return hints.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}

/** GANTRY_HINTS=0 (or false, off, no) turns hints off. */
export function hintsEnabled(env: Readonly<Record<string, string | undefined>>, quietFlag: boolean | undefined): boolean {
  if (quietFlag === true) return false;
  const value = env.GANTRY_HINTS?.trim().toLowerCase();
  return !(value === '0' || value === 'false' || value === 'off' || value === 'no');
}

// ---- rules about what services say to each other ----------------------------------------------

/** Text a container sees at run time: environment values and command words, with their paths. */
function runtimeTexts(service: Service): { path: (string | number)[]; text: string }[] {
  const base = ['services', service.name];
  return [
    ...Object.entries(service.environment).flatMap(([key, value]) => (value === null ? [] : [{ path: [...base, 'environment', key], text: value }])),
    ...(service.command ?? []).map((text) => ({ path: [...base, 'command'], text })),
    ...(service.entrypoint ?? []).map((text) => ({ path: [...base, 'entrypoint'], text })),
  ];
}

function findLocalhostReferences(ctx: HintContext): Hint[] {
  const owners = new Map<number, { service: string; target: number }>();
  for (const service of Object.values(ctx.project.services)) {
    for (const port of service.ports) {
      owners.set(port.target, owners.get(port.target) ?? { service: service.name, target: port.target });
      const published = Number(port.published);
      if (Number.isInteger(published) && !owners.has(published)) owners.set(published, { service: service.name, target: port.target });
    }
    for (const entry of service.expose) {
      const port = Number(entry.split('/')[0]);
      if (Number.isInteger(port) && !owners.has(port)) owners.set(port, { service: service.name, target: port });
    }
  }
  const hints: Hint[] = [];
  for (const service of Object.values(ctx.project.services)) {
    // With network_mode host or service:X, localhost really is the host or X.
    if (service.networkMode !== undefined && service.networkMode !== 'bridge') continue;
    for (const { path, text } of runtimeTexts(service)) {
      for (const match of text.matchAll(/\b(localhost|127\.0\.0\.1):(\d+)/g)) {
        const owner = owners.get(Number(match[2]));
        if (owner === undefined || owner.service === service.name) continue;
        hints.push(ctx.hint('localhost-service', path,
          `"${match[0]}" points at the ${service.name} container itself, not at service "${owner.service}" (inside a container, localhost is that container)`,
          `use the service name: ${owner.service}:${owner.target}`));
      }
    }
  }
  return hints;
}

function findHostDockerInternal(ctx: HintContext): Hint[] {
  const hints: Hint[] = [];
  for (const service of Object.values(ctx.project.services)) {
    if (service.extraHosts.some((h) => h.startsWith('host.docker.internal:'))) continue;
    const use = runtimeTexts(service).find(({ text }) => text.includes('host.docker.internal'));
    if (use === undefined) continue;
    hints.push(ctx.hint('host-docker-internal', use.path,
      `service "${service.name}" uses host.docker.internal, which a Linux engine does not define (only Docker Desktop does)`,
      `add extra_hosts: ["host.docker.internal:host-gateway"] to service "${service.name}"`));
  }
  return hints;
}

// ---- rules about storage ----------------------------------------------------------------------

const DATA_DIRS: Readonly<Record<string, string>> = {
  mysql: '/var/lib/mysql', mariadb: '/var/lib/mysql', postgres: '/var/lib/postgresql/data', mongo: '/data/db', redis: '/data',
};

/** 'docker.io/library/postgres:16@sha256:…' → 'postgres'. */
export function imageBaseName(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const last = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  return last.split(':')[0] ?? last;
}

function findDatabasesWithoutVolume(ctx: HintContext): Hint[] {
  const hints: Hint[] = [];
  for (const service of Object.values(ctx.project.services)) {
    const base = imageBaseName(service.image);
    const dir = DATA_DIRS[base];
    if (dir === undefined) continue;
    const kept = service.mounts.some((m) => (m.type === 'bind' || (m.type === 'volume' && m.source !== undefined))
      && (dir === m.target || dir.startsWith(`${m.target}/`) || m.target.startsWith(`${dir}/`)));
    if (kept) continue;
    hints.push(ctx.hint('database-without-volume', ['services', service.name, 'image'],
      `service "${service.name}" runs ${base} but no named volume or bind mount holds ${dir}: its data is lost on \`down\``,
      `mount a named volume, e.g. volumes: ["${service.name}-data:${dir}"], and declare ${service.name}-data under the top-level volumes:`));
  }
  return hints;
}

function findMissingBindSources(ctx: HintContext): Hint[] {
  const hints: Hint[] = [];
  for (const service of Object.values(ctx.project.services)) {
    service.mounts.forEach((mount, i) => {
      if (mount.type !== 'bind' || mount.source === undefined || ctx.pathExists(mount.source)) return;
      const effect = mount.bind?.createHostPath === false ? 'the container will fail to start' : 'the engine creates it as an empty directory owned by root';
      hints.push(ctx.hint('missing-bind-source', ['services', service.name, 'volumes', i],
        `bind mount source ${mount.source} does not exist: ${effect}`,
        `create it first (mkdir -p ${mount.source}, or the file you meant to share), or correct the path`));
    });
  }
  return hints;
}

// ---- rules about start-up ---------------------------------------------------------------------

function findDependsOnWithoutHealthy(ctx: HintContext): Hint[] {
  const hints: Hint[] = [];
  for (const service of Object.values(ctx.project.services)) {
    for (const dependency of service.dependsOn) {
      const target = ctx.project.services[dependency.service];
      if (dependency.condition !== 'service_started' || target?.healthcheck === undefined || target.healthcheck.disable) continue;
      const path = ['services', service.name, 'depends_on', dependency.service];
      if (hasExplicitCondition(ctx.sources, path)) continue;
      hints.push(ctx.hint('depends-on-healthcheck', path,
        `service "${service.name}" waits only for "${dependency.service}" to start, though "${dependency.service}" has a healthcheck`,
        `to wait until it is healthy: depends_on: { ${dependency.service}: { condition: service_healthy } }`));
    }
  }
  return hints;
}

/** Whether some file spells out the entry's condition (then service_started was chosen). */
function hasExplicitCondition(sources: readonly SourceFile[], path: readonly (string | number)[]): boolean {
  // The plain tree, not yaml's document: a file the fast path read builds that only on demand.
  return sources.some((source) => {
    const entry = path.reduce<unknown>((node, part) => (isRecord(node) ? node[part] : undefined), source.tree);
    return isRecord(entry) && Object.prototype.hasOwnProperty.call(entry, 'condition');
  });
}

function isRecord(value: unknown): value is Record<string | number, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'zsh', 'dash', 'ksh']);
const SHELL_IMAGES = new Set(['alpine', 'busybox', 'ubuntu', 'debian', 'fedora', 'centos', 'rockylinux', 'almalinux', 'archlinux', 'amazonlinux']);

function findInteractiveShells(ctx: HintContext): Hint[] {
  const hints: Hint[] = [];
  for (const service of Object.values(ctx.project.services)) {
    if (service.tty || service.stdinOpen) continue;
    const words = service.command ?? service.entrypoint;
    const field = service.command !== undefined && service.command !== null ? 'command' : 'entrypoint';
    const isShell = words !== undefined && words !== null && words.length === 1 && SHELLS.has((words[0] ?? '').split('/').pop() ?? '');
    const isShellImage = (words === undefined || words === null) && SHELL_IMAGES.has(imageBaseName(service.image));
    if (!isShell && !isShellImage) continue;
    const what = isShell ? `runs an interactive shell (${words?.[0] ?? ''})` : `runs ${imageBaseName(service.image)}, whose default command is a shell`;
    hints.push(ctx.hint('interactive-shell', ['services', service.name, isShell ? field : 'image'],
      `service "${service.name}" ${what} without tty or stdin_open: the shell reads end-of-input, exits, and the container stops at once`,
      'add tty: true and stdin_open: true to keep it open, or give it a long-running command'));
  }
  return hints;
}

function existsOnDisk(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
