// The config hash decides whether `up` may keep a container: it covers exactly what the container
// is created from, so a change there recreates it and nothing else does.
import { createHash } from 'node:crypto';
import type { Project, Service } from '../model/types.js';
import { injectedFilesDigest } from './injected-files.js';

/**
 * Service fields left out of the hash, each because changing it must not recreate a container:
 * - replicas: scaling adds or removes containers; the ones that stay are unchanged (compose drops
 *   scale and deploy.replicas too);
 * - build, pullPolicy: they say how to get the image, not what runs (compose drops both);
 * - dependsOn: start order and conditions, not the container (compose drops it since v2.20);
 * - profiles: whether the service is enabled, not how;
 * - attach: whether `up` streams its logs.
 * Everything else reaches the create body, so it stays in.
 */
const EXCLUDED_FIELDS: ReadonlySet<string> = new Set(['replicas', 'build', 'pullPolicy', 'dependsOn', 'profiles', 'attach']);

/** sha256 (hex) over a canonical JSON of the service's container-shaping fields. */
export function configHash(service: Service, project: Project): string {
  return createHash('sha256').update(canonicalJson(hashedFields(service, project))).digest('hex');
}

/**
 * The fields the hash covers, with network and volume keys replaced by their engine names:
 * renaming a network (`name:`) changes what the container joins even when the key stays.
 */
export function hashedFields(service: Service, project: Project): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(service)) {
    if (!EXCLUDED_FIELDS.has(key)) fields[key] = value;
  }
  fields.networks = Object.fromEntries(
    Object.entries(service.networks).map(([key, network]) => [project.networks[key]?.name ?? key, network]),
  );
  fields.mounts = service.mounts.map((mount) =>
    mount.type === 'volume' && mount.source !== undefined ? { ...mount, source: project.volumes[mount.source]?.name ?? mount.source } : mount,
  );
  // Copied-in secrets and configs: a new value recreates the container. Absent (and so left out
  // of the JSON) when there are none, so hashes of other services do not change.
  fields.injectedFiles = injectedFilesDigest(project, service);
  return fields;
}

/**
 * JSON with object keys sorted at every depth, so the hash does not depend on the order the
 * files (or the loader) happened to produce. Array order is kept: it is meaningful (command).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined) sorted[key] = sortKeys(child);
  }
  return sorted;
}
