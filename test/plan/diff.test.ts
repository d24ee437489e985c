// The field-by-field difference a recreate shows: named as the compose file names things, with
// the user's own keys (variables, labels, networks) left exactly as written.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createContainerSpec } from '../../src/engine/container-spec.js';
import { diffConfigs, formatChange } from '../../src/plan/diff.js';
import { configHash } from '../../src/plan/hash.js';
import { RECORDED_CONFIG_LABEL, desiredConfig, readRecordedConfig, recordConfig } from '../../src/plan/recorded-config.js';
import { buildProject } from '../support/project-builder.js';

const diff = (before: Record<string, unknown>, after: Record<string, unknown>): string[] => diffConfigs(before, after).map(formatChange);

describe('diffConfigs', () => {
  it('names a changed, an added and a removed variable by their own names', () => {
    expect(diff({ environment: { VALUE: 'one', OLD: 'x', myVar: '1' } }, { environment: { VALUE: 'two', NEW: 'y', myVar: '1' } })).toEqual([
      'environment.NEW: (unset) → "y"',
      'environment.OLD: "x" → (unset)',
      'environment.VALUE: "one" → "two"',
    ]);
  });

  it('turns field names into the compose keys: snake_case, mounts → volumes, durations', () => {
    expect(diff(
      { stopGracePeriod: 10e9, mounts: [{ type: 'bind', readOnly: false }], healthcheck: { startPeriod: 1e9 }, labels: { 'com.example.readOnly': 'a' } },
      { stopGracePeriod: 30e9, mounts: [{ type: 'bind', readOnly: true }], healthcheck: { startPeriod: 2e9 }, labels: { 'com.example.readOnly': 'b' } },
    )).toEqual([
      'healthcheck.start_period: 1s → 2s',
      'labels["com.example.readOnly"]: "a" → "b"',
      'stop_grace_period: 10s → 30s',
      'volumes[0].read_only: false → true',
    ]);
  });

  it('compares lists of mappings item by item, and other lists whole', () => {
    expect(diff(
      { ports: [{ target: 80, published: '8080' }], command: ['sh', '-c', 'a'] },
      { ports: [{ target: 80, published: '8081' }, { target: 443 }], command: ['sh', '-c', 'b'] },
    )).toEqual([
      'command: ["sh","-c","a"] → ["sh","-c","b"]',
      'ports[0].published: "8080" → "8081"',
      'ports[1]: (unset) → {"target":443}',
    ]);
  });

  it('finds nothing when only key order differs', () => {
    expect(diffConfigs({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toEqual([]);
  });
});

describe('the recorded config label', () => {
  const project = buildProject({ services: { web: { environment: { VALUE: 'one' } } } });
  const web = project.services.web;
  if (web === undefined) throw new Error('fixture');

  it('holds the exact JSON the config hash is computed from', () => {
    const label = recordConfig(web, project);
    expect(createHash('sha256').update(label).digest('hex')).toBe(configHash(web, project));
    const spec = createContainerSpec({ project, service: web, number: 1, configHash: configHash(web, project) });
    expect((spec.body.Labels as Record<string, string>)[RECORDED_CONFIG_LABEL]).toBe(label);
  });

  it('is read back only while it still matches the container\'s config hash', () => {
    const labels = { [RECORDED_CONFIG_LABEL]: recordConfig(web, project), 'com.docker.compose.config-hash': configHash(web, project) };
    expect(readRecordedConfig(labels)).toEqual(desiredConfig(web, project));
    expect(readRecordedConfig({ ...labels, 'com.docker.compose.config-hash': 'edited' })).toBeUndefined();
    expect(readRecordedConfig({ 'com.docker.compose.config-hash': configHash(web, project) })).toBeUndefined();
  });
});
