import { describe, expect, it } from 'vitest';
import { edgesFromProject, orderWaves, parseDependsOnConditions } from '../../src/plan/lifecycle-order.js';
import { buildProject } from '../support/project-builder.js';

const edges = { web: ['api'], api: ['db', 'cache'], db: [], cache: [], worker: ['db'] };

describe('orderWaves', () => {
  it('starts dependencies first, in waves of services that may act together', () => {
    expect(orderWaves(edges, ['web', 'api', 'db', 'cache', 'worker'], 'start')).toEqual([['cache', 'db'], ['api', 'worker'], ['web']]);
  });

  it('stops dependents first', () => {
    expect(orderWaves(edges, ['web', 'api', 'db', 'cache', 'worker'], 'stop')).toEqual([['web'], ['api', 'worker'], ['cache', 'db']]);
  });

  it('keeps the depth of the whole graph when only some services act', () => {
    expect(orderWaves(edges, ['web', 'db'], 'stop')).toEqual([['web'], ['db']]);
  });

  it('puts services it knows nothing about in the first wave', () => {
    expect(orderWaves({}, ['b', 'a'], 'start')).toEqual([['a', 'b']]);
  });

  it('refuses a cycle', () => {
    expect(() => orderWaves({ a: ['b'], b: ['a'] }, ['a'], 'start')).toThrow(/cycle/);
  });
});

describe('edgesFromProject', () => {
  it('reads depends_on and the implicit network_mode/volumes_from dependencies', () => {
    const project = buildProject({
      services: { db: {}, web: { dependsOn: ['db'], volumesFrom: ['data'] }, data: {}, side: { networkMode: 'service:web' } },
    });
    expect(edgesFromProject(project)).toEqual({ db: [], web: ['db', 'data'], data: [], side: ['web'] });
  });
});

describe('parseDependsOnConditions', () => {
  it('reads compose\'s depends_on label back into dependencies', () => {
    expect(parseDependsOnConditions('db:service_healthy:false,job:service_completed_successfully:true,cache:service_started:false')).toEqual([
      { service: 'db', condition: 'service_healthy', restart: false, required: true },
      { service: 'job', condition: 'service_completed_successfully', restart: true, required: true },
      { service: 'cache', condition: 'service_started', restart: false, required: true },
    ]);
  });

  it('takes a bare name (compose v1 labels) as service_started, and empty as none', () => {
    expect(parseDependsOnConditions('db')).toEqual([{ service: 'db', condition: 'service_started', restart: false, required: true }]);
    expect(parseDependsOnConditions('')).toEqual([]);
    expect(parseDependsOnConditions(undefined)).toEqual([]);
  });
});
