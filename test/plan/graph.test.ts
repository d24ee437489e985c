import { describe, expect, it } from 'vitest';
import { CycleError } from '../../src/errors.js';
import { createDependencyGraph, createGraphFromEdges, nearestDependents } from '../../src/plan/graph.js';
import { buildProject } from '../support/project-builder.js';

describe('createDependencyGraph', () => {
  const project = buildProject({
    services: {
      web: { dependsOn: ['api'] },
      api: { dependsOn: ['db', 'cache'] },
      db: {},
      cache: {},
      worker: { dependsOn: ['db'] },
    },
  });
  const graph = createDependencyGraph(project);

  it('starts dependencies first and stops them last', () => {
    const start = graph.startOrder();
    expect(start.indexOf('db')).toBeLessThan(start.indexOf('api'));
    expect(start.indexOf('cache')).toBeLessThan(start.indexOf('api'));
    expect(start.indexOf('api')).toBeLessThan(start.indexOf('web'));
    expect(start.indexOf('db')).toBeLessThan(start.indexOf('worker'));
    expect(graph.stopOrder()).toEqual([...start].reverse());
  });

  it('answers direct and transitive dependencies and dependents', () => {
    expect(graph.dependenciesOf('web')).toEqual(['api']);
    expect(graph.dependenciesOf('web', { transitive: true }).sort()).toEqual(['api', 'cache', 'db']);
    expect(graph.dependentsOf('db').sort()).toEqual(['api', 'worker']);
    expect(graph.dependentsOf('db', { transitive: true }).sort()).toEqual(['api', 'web', 'worker']);
    expect(graph.dependentsOf('web')).toEqual([]);
  });

  it('finds the nearest marked dependents, looking through unmarked ones', () => {
    // db ← api ← web, db ← worker: with api unmarked (a finished job has nothing to stop), db's
    // stop must still wait for web's.
    expect(nearestDependents(graph, 'db', (s) => s !== 'api').sort()).toEqual(['web', 'worker']);
    expect(nearestDependents(graph, 'db', () => true).sort()).toEqual(['api', 'worker']);
    expect(nearestDependents(graph, 'db', () => false)).toEqual([]);
  });

  it('treats network_mode service:x and volumes_from x as dependencies', () => {
    const implicit = createDependencyGraph(buildProject({
      services: { vpn: {}, app: { networkMode: 'service:vpn' }, data: {}, backup: { volumesFrom: ['data:ro', 'container:other'] } },
    }));
    expect(implicit.dependenciesOf('app')).toEqual(['vpn']);
    expect(implicit.dependenciesOf('backup')).toEqual(['data']);
  });

  it('reports a cycle with its path', () => {
    const cyclic = buildProject({ services: { a: { dependsOn: ['b'] }, b: { dependsOn: ['c'] }, c: { dependsOn: ['a'] } } });
    expect(() => createDependencyGraph(cyclic)).toThrow(CycleError);
    try {
      createDependencyGraph(cyclic);
    } catch (error) {
      expect((error as CycleError).cycle).toEqual(['a', 'b', 'c', 'a']);
      expect((error as CycleError).message).toBe('dependency cycle: a → b → c → a');
    }
  });

  it('builds from label edges, ignoring unknown targets', () => {
    const fromLabels = createGraphFromEdges({ web: ['db', 'gone'], db: [] });
    expect(fromLabels.stopOrder()).toEqual(['web', 'db']);
  });
});
