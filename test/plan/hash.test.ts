import { describe, expect, it } from 'vitest';
import { canonicalJson, configHash } from '../../src/plan/hash.js';
import { buildProject, buildService } from '../support/project-builder.js';

describe('configHash', () => {
  const project = buildProject({ services: { web: { environment: { A: '1', B: '2' } } } });
  const web = project.services.web!;

  it('is a sha256 hex digest', () => {
    expect(configHash(web, project)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order', () => {
    const reordered = buildService('web', { environment: { B: '2', A: '1' } });
    expect(configHash(reordered, project)).toBe(configHash(web, project));
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
  });

  it('changes when the environment changes', () => {
    const changed = buildService('web', { environment: { A: '1', B: '3' } });
    expect(configHash(changed, project)).not.toBe(configHash(web, project));
  });

  it('does not change with scale, build, pull policy, depends_on or profiles', () => {
    const same = buildService('web', {
      environment: { A: '1', B: '2' },
      replicas: 5,
      pullPolicy: 'always',
      profiles: ['debug'],
      dependsOn: ['db'],
      build: { context: '/x', args: {}, labels: {}, extraHosts: [], cacheFrom: [], noCache: false, pull: false, tags: [], platforms: [] },
    });
    expect(configHash(same, project)).toBe(configHash(web, project));
  });

  it('covers the engine names of networks, not only their keys', () => {
    const renamed = buildProject({ services: { web: { environment: { A: '1', B: '2' } } }, networks: { default: { name: 'shared' } } });
    expect(configHash(renamed.services.web!, renamed)).not.toBe(configHash(web, project));
  });
});
