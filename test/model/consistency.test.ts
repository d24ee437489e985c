// Specification of the semantic checks on references between services, in particular references
// to services that profiles left out: those are not typos, and the message says what to enable.
import { describe, expect, it } from 'vitest';
import type { ConfigIssue } from '../../src/errors.js';
import { checkConsistency } from '../../src/model/consistency.js';
import type { ModelLocator } from '../../src/model/origins.js';

/** Locates nothing: the tests look at paths, messages and hints (load tests cover lines). */
const locator: ModelLocator = {
  issue: (path, message, extra = {}) => ({ file: 'compose.yaml', line: 0, column: 0, path, message, ...(extra.hint ? { hint: extra.hint } : {}) }),
};

function check(services: Record<string, unknown>, disabled: Record<string, readonly string[]> = {}): ConfigIssue[] {
  return checkConsistency({ services }, { locator, disabledServices: new Map(Object.entries(disabled)) }).issues;
}

describe('checkConsistency: references to services disabled by profiles', () => {
  it('names the profile that disables a dependency and how to enable it', () => {
    const issues = check({ web: { image: 'nginx', depends_on: { db: { condition: 'service_started' } } } }, { db: ['debug'] });
    expect(issues).toEqual([{
      file: 'compose.yaml', line: 0, column: 0, path: ['services', 'web', 'depends_on', 'db'],
      message: 'service "web" depends on "db", which is disabled by its profiles ["debug"]',
      hint: 'enable the profile with --profile debug (or COMPOSE_PROFILES=debug), or name "db" on the command line',
    }]);
  });

  it('lists every profile of the dependency and suggests the first', () => {
    const [issue] = check({ web: { image: 'nginx', depends_on: { db: {} } } }, { db: ['debug', 'test'] });
    expect(issue?.message).toBe('service "web" depends on "db", which is disabled by its profiles ["debug", "test"]');
    expect(issue?.hint).toBe('enable one of its profiles, e.g. --profile debug (or COMPOSE_PROFILES=debug), or name "db" on the command line');
  });

  it('accepts a disabled dependency marked required: false', () => {
    expect(check({ web: { image: 'nginx', depends_on: { db: { required: false } } } }, { db: ['debug'] })).toEqual([]);
  });

  it('says the same for network_mode: service:X and volumes_from X', () => {
    const issues = check({ web: { image: 'nginx', network_mode: 'service:vpn', volumes_from: ['data:ro'] } }, { vpn: ['net'], data: ['store'] });
    expect(issues.map((i) => i.message)).toEqual([
      'network_mode refers to "vpn", which is disabled by its profiles ["net"]',
      'volumes_from refers to "data", which is disabled by its profiles ["store"]',
    ]);
  });

  it('still calls a service that is nowhere in the file undefined, with a suggestion', () => {
    const [issue] = check({ web: { image: 'nginx', depends_on: { dbx: {} } }, db: { image: 'pg' } }, { cache: ['debug'] });
    expect(issue?.message).toBe('service "web" depends on undefined service "dbx"');
    expect(issue?.hint).toBe('did you mean "db"?');
  });

  it('without disabled services (the default) a missing dependency is undefined', () => {
    const { issues } = checkConsistency({ services: { web: { image: 'nginx', depends_on: { db: {} } } } }, { locator });
    expect(issues.map((i) => i.message)).toEqual(['service "web" depends on undefined service "db"']);
  });
});
