// PURE: the service a `run` one-off container is made from, as compose's applyRunOptions builds
// it: the command-line overrides applied, no restart policy, and the service's ports published
// only with --service-ports (so a one-off never collides with the running service's ports).
import { UsageError } from '../errors.js';
import { parsePortSpec } from '../model/canonical-ports.js';
import { parseVolumeSpec } from '../model/canonical-volumes.js';
import { asRecord } from '../model/tree.js';
import type { Mount, MountType, PortMapping, Project, Service, Volume } from '../model/types.js';
import type { Operation, Plan } from './operations.js';

export interface RunServiceOptions {
  /** Replaces the service's command when not empty. */
  readonly command: readonly string[];
  /** `--entrypoint`, already split into words; without a command it also clears the command. */
  readonly entrypoint?: readonly string[];
  /** `-e KEY=VALUE`, or `-e KEY` to pass KEY from `hostEnv` (dropped when unset there). */
  readonly env: readonly string[];
  readonly hostEnv: Readonly<Record<string, string | undefined>>;
  /** `-v` short-syntax volumes, relative to the project directory. */
  readonly volumes: readonly string[];
  /** `-p` short-syntax ports. */
  readonly publish: readonly string[];
  /** `--service-ports`: publish the service's own ports too. */
  readonly servicePorts: boolean;
  readonly labels: readonly string[];
  /** `--cap-add`: added to the service's cap_add, and taken out of its cap_drop. @default [] */
  readonly capAdd?: readonly string[];
  /** `--cap-drop`: added to the service's cap_drop, and taken out of its cap_add. @default [] */
  readonly capDrop?: readonly string[];
  readonly user?: string;
  readonly workingDir?: string;
  /** `--name`. @default `<project>-<service>-run-<slug's first 12 characters>` */
  readonly name?: string;
  readonly tty: boolean;
  /** Keep stdin open (compose's `-i`, on by default). */
  readonly interactive: boolean;
  /** The one-off's random id (64 hex characters), chosen by the caller so this stays pure. */
  readonly slug: string;
  readonly homeDir: string;
}

export interface RunService {
  /** The project with any volume that only a `-v` names (used by its own name, not scoped). */
  readonly project: Project;
  readonly service: Service;
  readonly name: string;
}

export function prepareRunService(project: Project, serviceName: string, options: RunServiceOptions): RunService {
  const base = project.services[serviceName];
  if (base === undefined) throw new UsageError(`no such service: ${serviceName}`);
  const mounts = options.volumes.map((spec) => parseMount(spec, project, options.homeDir));
  const service: Service = {
    ...base,
    command: options.command.length > 0 ? options.command : options.entrypoint !== undefined ? null : base.command,
    entrypoint: options.entrypoint ?? base.entrypoint,
    environment: applyEnv(base.environment, options.env, options.hostEnv),
    ports: [...(options.servicePorts ? base.ports : []), ...options.publish.flatMap(parsePort)],
    mounts: [...base.mounts.filter((m) => !mounts.some((added) => added.target === m.target)), ...mounts],
    labels: { ...base.labels, ...parseLabels(options.labels) },
    ...mergeCapabilities(base, options.capAdd ?? [], options.capDrop ?? []),
    ...(options.user === undefined ? {} : { user: options.user }),
    ...(options.workingDir === undefined ? {} : { workingDir: options.workingDir }),
    tty: options.tty,
    stdinOpen: options.interactive,
    restart: undefined,
    replicas: 1,
  };
  const name = options.name ?? `${project.name}-${serviceName}-run-${options.slug.slice(0, 12)}`;
  return { project: withAdHocVolumes(project, mounts), service, name };
}

function applyEnv(
  environment: Service['environment'],
  entries: readonly string[],
  hostEnv: Readonly<Record<string, string | undefined>>,
): Record<string, string | null> {
  const result: Record<string, string | null> = { ...environment };
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const key = eq < 0 ? entry : entry.slice(0, eq);
    if (key === '') throw new UsageError(`invalid -e "${entry}": expected KEY=VALUE or KEY`);
    const value = eq < 0 ? hostEnv[key] : entry.slice(eq + 1);
    if (value === undefined) delete result[key];
    else result[key] = value;
  }
  return result;
}

/**
 * Compose appends the flags to the file's lists; here the command line also wins over the file,
 * because the engine applies cap_add after cap_drop: a `--cap-drop X` would do nothing while the
 * file adds X. Names compare as the engine reads them: any case, CAP_ prefix optional.
 */
function mergeCapabilities(base: Service, add: readonly string[], drop: readonly string[]): Pick<Service, 'capAdd' | 'capDrop'> {
  const named = (list: readonly string[]) => new Set(list.map(capabilityKey));
  const added = named(add);
  const dropped = named(drop);
  return {
    capAdd: unique([...base.capAdd.filter((c) => !dropped.has(capabilityKey(c))), ...add]),
    capDrop: unique([...base.capDrop.filter((c) => !added.has(capabilityKey(c))), ...drop]),
  };
}

function capabilityKey(name: string): string {
  const upper = name.toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice(4) : upper;
}

function unique(names: readonly string[]): string[] {
  const byKey = new Map<string, string>();
  for (const name of names) if (!byKey.has(capabilityKey(name))) byKey.set(capabilityKey(name), name);
  return [...byKey.values()];
}

function parseLabels(entries: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq === 0) throw new UsageError(`invalid label "${entry}": expected KEY=VALUE`);
    labels[eq < 0 ? entry : entry.slice(0, eq)] = eq < 0 ? '' : entry.slice(eq + 1);
  }
  return labels;
}

function parsePort(spec: string): PortMapping[] {
  const parsed = parsePortSpec(spec);
  if ('error' in parsed) throw new UsageError(`invalid -p "${spec}": ${parsed.error}`);
  return parsed.entries.map((entry) => {
    const protocol = entry.protocol === 'udp' || entry.protocol === 'sctp' ? entry.protocol : 'tcp';
    return {
      target: Number(entry.target),
      ...(typeof entry.published === 'string' ? { published: entry.published } : {}),
      ...(typeof entry.host_ip === 'string' ? { hostIp: entry.host_ip } : {}),
      protocol,
      mode: 'ingress',
    };
  });
}

function parseMount(spec: string, project: Project, homeDir: string): Mount {
  const parsed = parseVolumeSpec(spec, { workingDir: project.workingDir, homeDir });
  if ('error' in parsed) throw new UsageError(`invalid -v "${spec}": ${parsed.error}`);
  const entry = parsed.entry;
  const bind = asRecord(entry.bind);
  const selinux = bind.selinux === 'z' || bind.selinux === 'Z' ? bind.selinux : undefined;
  return {
    type: (typeof entry.type === 'string' ? entry.type : 'volume') as MountType,
    ...(typeof entry.source === 'string' ? { source: entry.source } : {}),
    target: String(entry.target),
    readOnly: entry.read_only === true,
    ...(typeof entry.consistency === 'string' ? { consistency: entry.consistency } : {}),
    ...(entry.type === 'bind'
      ? { bind: { createHostPath: true, ...(typeof bind.propagation === 'string' ? { propagation: bind.propagation } : {}), ...(selinux === undefined ? {} : { selinux }) } }
      : { volume: { nocopy: asRecord(entry.volume).nocopy === true } }),
  };
}

/** A `-v name:/path` naming no volume of the file mounts the engine volume of that exact name. */
function withAdHocVolumes(project: Project, mounts: readonly Mount[]): Project {
  const extra: Record<string, Volume> = {};
  for (const mount of mounts) {
    if (mount.type !== 'volume' || mount.source === undefined || mount.source in project.volumes) continue;
    extra[mount.source] = { key: mount.source, name: mount.source, external: true, driverOpts: {}, labels: {} };
  }
  return Object.keys(extra).length === 0 ? project : { ...project, volumes: { ...project.volumes, ...extra } };
}

const CONTAINER_KINDS: ReadonlySet<Operation['kind']> = new Set(['createContainer', 'startContainer', 'keepContainer', 'stopContainer', 'removeContainer']);

/**
 * What must happen before a one-off of `service` can be created, from the `up` plan of the
 * service and its dependencies: everything except the service's own containers (their networks,
 * volumes, image and the depends_on waits stay). Edges to removed operations are dropped.
 */
export function planRunPrerequisites(plan: Plan, service: string): Plan {
  const kept = plan.operations.filter((op) => !(CONTAINER_KINDS.has(op.kind) && 'service' in op && op.service === service));
  const ids = new Set(kept.map((op) => op.id));
  return { operations: kept.map((op) => ({ ...op, dependsOn: op.dependsOn.filter((id) => ids.has(id)) })), warnings: plan.warnings };
}
