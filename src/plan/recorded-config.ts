// What a container was created from, kept in a label at create time, so `gantry plan` can name the
// fields that changed instead of only "the config hash differs".
//
// Why a label and not `docker inspect`: inspect shows the container after the engine merged the
// image's defaults in (ENV, CMD, labels, exposed ports, healthcheck) and normalised HostConfig, so
// a diff against the create body would report fields nobody changed, and could not see a removed
// `command:` that happens to equal the image's CMD. The label holds exactly the JSON the config
// hash is computed from, so its diff with the file explains the hash, field by field, and costs
// no extra engine call (labels come with the container list). Containers made by docker compose
// carry no such label; for them the plan says only that the hash differs.
import { createHash } from 'node:crypto';
import type { Labels } from '../engine/engine.js';
import type { Project, Service } from '../model/types.js';
import { canonicalJson, hashedFields } from './hash.js';
import { LABEL } from './labels.js';

/** Not under com.docker.compose.*: that namespace belongs to compose. */
export const RECORDED_CONFIG_LABEL = 'dev.gantry.config';

/** The label value: the canonical JSON whose sha256 is the config hash. */
export function recordConfig(service: Service, project: Project): string {
  return canonicalJson(hashedFields(service, project));
}

/** The same fields as plain JSON data, for comparison with a recorded label. */
export function desiredConfig(service: Service, project: Project): Record<string, unknown> {
  return asRecord(JSON.parse(recordConfig(service, project))) ?? {};
}

/**
 * The fields a container was created from, or undefined when it has no label or the label no
 * longer matches the container's config hash (edited by hand, or written by another tool).
 */
export function readRecordedConfig(labels: Labels): Record<string, unknown> | undefined {
  const text = labels[RECORDED_CONFIG_LABEL];
  const hash = labels[LABEL.configHash];
  if (text === undefined || hash === undefined) return undefined;
  if (createHash('sha256').update(text).digest('hex') !== hash) return undefined;
  try {
    return asRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
