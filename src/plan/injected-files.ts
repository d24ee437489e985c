// PURE: secrets and configs whose content is not a file on the host (`environment:`, `content:`)
// reach a container as files copied in after create and before start, as compose does; this says
// which files, with what content, owner and mode, and which sources cannot be had before `up` starts.
import { createHash } from 'node:crypto';
import type { FileObject, FileReference, Project, Service } from '../model/types.js';

export interface InjectedFile {
  readonly kind: 'secret' | 'config';
  /** Key in the project's top-level secrets/configs. */
  readonly source: string;
  /** Absolute path inside the container. */
  readonly target: string;
  readonly content: string;
  readonly uid?: number;
  readonly gid?: number;
  /** Permission bits; compose's default is world-readable, read-only (0444). */
  readonly mode: number;
}

/** A source that cannot be had: says which, and how to fix it (never the value). */
export interface SourceProblem {
  readonly message: string;
  readonly hint: string;
}

const DEFAULT_MODE = 0o444;

type Kind = InjectedFile['kind'];

function referencesOf(project: Project, service: Service): { kind: Kind; ref: FileReference; object: FileObject | undefined }[] {
  return [
    ...service.secrets.map((ref) => ({ kind: 'secret' as const, ref, object: project.secrets[ref.source] })),
    ...service.configs.map((ref) => ({ kind: 'config' as const, ref, object: project.configs[ref.source] })),
  ];
}

/** The content an object gives a container, when it is not a bind-mounted file. */
function contentOf(object: FileObject): string | undefined {
  if (object.file !== undefined || object.external) return undefined;
  return object.environment !== undefined ? object.environmentValue : object.content;
}

/** The files to copy into a container of `service`, in declaration order. */
export function injectedFiles(project: Project, service: Service): InjectedFile[] {
  return referencesOf(project, service).flatMap(({ kind, ref, object }) => {
    const content = object === undefined ? undefined : contentOf(object);
    if (content === undefined) return [];
    const uid = toId(ref.uid);
    const gid = toId(ref.gid);
    return [{
      kind, source: ref.source, target: ref.target, content, mode: ref.mode ?? DEFAULT_MODE,
      ...(uid === undefined ? {} : { uid }), ...(gid === undefined ? {} : { gid }),
    }];
  });
}

/**
 * A digest of what `injectedFiles` copies into the service's containers, for the config hash: a
 * changed value must recreate the container, which reads its files only at creation. The project
 * and service names salt it, so the label that records the hash does not hash a value bare.
 */
export function injectedFilesDigest(project: Project, service: Service): string | undefined {
  const files = injectedFiles(project, service);
  if (files.length === 0) return undefined;
  const hash = createHash('sha256').update(`${project.name}\0${service.name}\0`);
  for (const f of files) hash.update(JSON.stringify([f.target, f.uid ?? null, f.gid ?? null, f.mode, f.content]));
  return hash.digest('hex');
}

/**
 * What keeps the services' secrets and configs from reaching their containers. `fileExists`
 * (IO, so the caller's) also checks that host files are there: the engine would refuse the bind
 * only when the container is created.
 */
export function findSourceProblems(project: Project, services: readonly string[], fileExists?: (path: string) => boolean): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const seen = new Set<string>();
  for (const name of services) {
    const service = project.services[name];
    if (service === undefined) continue;
    for (const { kind, ref, object } of referencesOf(project, service)) {
      const what = `${kind} "${ref.source}"`;
      for (const [field, id] of [['uid', ref.uid], ['gid', ref.gid]] as const) {
        if (id !== undefined && toId(id) === undefined) problems.push({ message: `service "${name}": ${field} "${id}" of ${what} is not a number`, hint: `give ${field} as a numeric id, e.g. "1000"` });
      }
      if (object === undefined || seen.has(`${kind}:${ref.source}`)) continue;
      seen.add(`${kind}:${ref.source}`);
      const problem = describeSource(what, object, fileExists);
      if (problem !== undefined) problems.push(problem);
    }
  }
  return problems;
}

function describeSource(what: string, object: FileObject, fileExists: ((path: string) => boolean) | undefined): SourceProblem | undefined {
  if (object.external) {
    return { message: `${what} is external, which only Docker Swarm provides`, hint: 'outside a swarm, give it a file: or environment: source instead of external: true' };
  }
  if (object.file !== undefined) {
    return fileExists === undefined || fileExists(object.file) ? undefined : { message: `${what}: file ${object.file} not found`, hint: 'create the file, or correct its path (relative paths start at the project directory)' };
  }
  if (object.environment !== undefined && object.environmentValue === undefined) {
    return { message: `${what} takes its value from the variable ${object.environment}, which is not set`, hint: `set ${object.environment} in the environment or in the project's .env file` };
  }
  if (object.environment === undefined && object.content === undefined) {
    return { message: `${what} has no source`, hint: 'give it file:, environment: or (for a config) content:' };
  }
  return undefined;
}

function toId(id: string | undefined): number | undefined {
  return id !== undefined && /^\d+$/.test(id) ? Number(id) : undefined;
}
