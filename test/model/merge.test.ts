// Specification of merging compose files: one rule per kind of field, plus !reset and !override.
import { describe, expect, it } from 'vitest';
import { canonicalizeTree } from '../../src/model/canonical.js';
import { dropResetItems, mergeTrees } from '../../src/model/merge.js';
import { parseSource } from '../../src/model/source.js';

const ctx = { workingDir: '/project', homeDir: '/home/me' };

function load(path: string, yaml: string) {
  const source = parseSource(path, yaml);
  const tree = dropResetItems(source.tree, source.tags) as Record<string, unknown>;
  return { tree: canonicalizeTree(tree, { source, ...ctx }).tree, tags: source.tags };
}

/** Merges two one-service files given as the service body and returns the merged service. */
function mergeService(base: string, override: string) {
  const indent = (body: string) => body.split('\n').map((l) => `    ${l}`).join('\n');
  const a = load('/project/compose.yaml', `services:\n  web:\n${indent(base)}\n`);
  const b = load('/project/compose.override.yaml', `services:\n  web:\n${indent(override)}\n`);
  const merged = mergeTrees(a.tree, b.tree, b.tags);
  return (merged.services as Record<string, unknown>).web;
}

const port = (published: string, target: number, extra: Record<string, unknown> = {}) => ({ mode: 'ingress', ...extra, target, published, protocol: 'tcp' });

describe('mergeTrees', () => {
  it.each([
    ['mappings merge key by key; scalars are replaced', 'image: a\nuser: root', 'image: b\nhostname: h', { image: 'b', user: 'root', hostname: 'h' }],
    ['command is replaced, not appended', 'command: [echo, foo]', 'command: [echo, bar]', { command: ['echo', 'bar'] }],
    ['entrypoint is replaced', 'entrypoint: a b', 'entrypoint: c', { entrypoint: ['c'] }],
    ['healthcheck.test is replaced, the rest merged', 'healthcheck: {test: [CMD, a], interval: 10s}', 'healthcheck: {test: "b"}', { healthcheck: { test: ['CMD-SHELL', 'b'], interval: '10s' } }],
    ['environment merges by variable, list or map', 'environment: [A=1, B=2]', 'environment: {B: 3, C: 4}', { environment: { A: '1', B: '3', C: '4' } }],
    ['labels merge by key', 'labels: {a: "1"}', 'labels: [b=2]', { labels: { a: '1', b: '2' } }],
    ['depends_on merges by service', 'depends_on: [db]', 'depends_on: {db: {condition: service_healthy}, cache: {condition: service_started}}', {
      depends_on: { db: { condition: 'service_healthy', required: true, restart: false }, cache: { condition: 'service_started', required: true, restart: false } },
    }],
    ['networks merge by name; aliases append', 'networks: {front: {aliases: [a]}}', 'networks: {front: {aliases: [a, b]}, back: null}', { networks: { front: { aliases: ['a', 'b'] }, back: {} } }],
    ['ulimits merge by name', 'ulimits: {nproc: 10, nofile: 20}', 'ulimits: {nofile: {soft: 1, hard: 2}}', { ulimits: { nproc: { soft: 10, hard: 10 }, nofile: { soft: 1, hard: 2 } } }],
    ['build.args merge by name', 'build: {context: ., args: {A: "1"}}', 'build: {args: [B=2]}', { build: { context: '/project', dockerfile: 'Dockerfile', args: { A: '1', B: '2' } } }],
    ['ports are unique by ip/published/target/protocol', 'ports: ["8080:80", "443:443"]', 'ports: ["8080:80", "9090:90"]', { ports: [port('8080', 80), port('443', 443), port('9090', 90)] }],
    ['a port entry with the same key replaces the base one', 'ports: ["8080:80"]', 'ports: [{target: 80, published: "8080", name: web}]', { ports: [{ ...port('8080', 80), name: 'web' }] }],
    ['volumes are unique by target (the spec example)', 'volumes: ["foo:/work"]', 'volumes: ["bar:/work"]', { volumes: [{ type: 'volume', source: 'bar', target: '/work', volume: {} }] }],
    ['volumes with new targets are appended', 'volumes: ["foo:/a"]', 'volumes: ["./b:/b"]', {
      volumes: [{ type: 'volume', source: 'foo', target: '/a', volume: {} }, { type: 'bind', source: '/project/b', target: '/b', bind: { create_host_path: true } }],
    }],
    ['secrets are unique by target', 'secrets: [a, {source: b, target: /x}]', 'secrets: [{source: c, target: /x}, a]', {
      secrets: [{ source: 'a', target: '/run/secrets/a' }, { source: 'c', target: '/x' }],
    }],
    ['configs are unique by target', 'configs: [a]', 'configs: [{source: b, target: /a}]', { configs: [{ source: 'b', target: '/a' }] }],
    ['devices are unique by container path', 'devices: ["/dev/a:/dev/x"]', 'devices: ["/dev/b:/dev/x", "/dev/c"]', { devices: ['/dev/b:/dev/x', '/dev/c'] }],
    ['tmpfs is unique by path', 'tmpfs: ["/run:size=1m"]', 'tmpfs: ["/run:size=2m", /tmp]', { tmpfs: ['/run:size=2m', '/tmp'] }],
    ['env_file entries are unique by path', 'env_file: [a.env, b.env]', 'env_file: [{path: a.env, required: false}, c.env]', {
      env_file: [{ path: '/project/a.env', required: false }, { path: '/project/b.env', required: true }, { path: '/project/c.env', required: true }],
    }],
    ['logging options merge when the driver is the same', 'logging: {driver: json-file, options: {max-size: 1m}}', 'logging: {options: {max-file: "3"}}', {
      logging: { driver: 'json-file', options: { 'max-size': '1m', 'max-file': '3' } },
    }],
    ['logging is replaced when the driver changes', 'logging: {driver: json-file, options: {max-size: 1m}}', 'logging: {driver: syslog}', { logging: { driver: 'syslog' } }],
    ['a null override keeps the base value', 'image: a', 'image: null', { image: 'a' }],
  ])('%s', (_name, base, override, expected) => {
    expect(mergeService(base, override)).toEqual(expected);
  });

  it.each(['expose', 'dns', 'dns_search', 'dns_opt', 'cap_add', 'cap_drop', 'profiles', 'group_add', 'security_opt'])('%s appends without duplicates', (key) => {
    expect(mergeService(`${key}: [a, b]`, `${key}: [b, c]`)).toEqual({ [key]: ['a', 'b', 'c'] });
  });

  it('extra_hosts appends without duplicates', () => {
    expect(mergeService('extra_hosts: ["a=1.1.1.1"]', 'extra_hosts: {a: 1.1.1.1, b: 2.2.2.2}')).toEqual({ extra_hosts: ['a:1.1.1.1', 'b:2.2.2.2'] });
  });

  it('other sequences append (the spec default)', () => {
    expect(mergeService('deploy: {placement: {constraints: [a]}}', 'deploy: {placement: {constraints: [a]}}')).toEqual({ deploy: { placement: { constraints: ['a', 'a'] } } });
  });

  it('adds services, networks and volumes defined only in the override', () => {
    const a = load('/p/a.yaml', 'services:\n  web: {image: w}\nnetworks:\n  front:\n');
    const b = load('/p/b.yaml', 'services:\n  db: {image: d}\nvolumes:\n  data:\nnetworks:\n  front: {driver: bridge}\n');
    expect(mergeTrees(a.tree, b.tree)).toEqual({
      services: { web: { image: 'w' }, db: { image: 'd' } },
      networks: { front: { driver: 'bridge' } },
      volumes: { data: {} },
    });
  });

  it('changes neither input', () => {
    const a = load('/p/a.yaml', 'services:\n  web: {ports: ["80"], environment: {A: "1"}}\n');
    const b = load('/p/b.yaml', 'services:\n  web: {ports: ["81"], environment: {B: "2"}}\n');
    const before = structuredClone([a.tree, b.tree]);
    const merged = mergeTrees(a.tree, b.tree);
    expect([a.tree, b.tree]).toEqual(before);
    ((merged.services as Record<string, Record<string, unknown[]>>).web?.ports as unknown[]).push('x');
    expect([a.tree, b.tree]).toEqual(before);
  });
});

describe('!reset and !override', () => {
  it('!reset removes the attribute, whatever the base held (the spec example)', () => {
    const merged = mergeService('image: myapp\nports: ["8080:80"]\nenvironment: {FOO: BAR, KEEP: "1"}', 'image: myapp\nports: !reset []\nenvironment:\n  FOO: !reset null');
    expect(merged).toEqual({ image: 'myapp', environment: { KEEP: '1' } });
  });

  it('!reset on a whole service removes it', () => {
    const a = load('/p/a.yaml', 'services:\n  web: {image: w}\n  debug: {image: d}\n');
    const b = load('/p/b.yaml', 'services:\n  debug: !reset {}\n');
    expect(mergeTrees(a.tree, b.tree, b.tags)).toEqual({ services: { web: { image: 'w' } } });
  });

  it('!override replaces the node instead of merging it (the spec example)', () => {
    expect(mergeService('image: myapp\nports: ["8080:80"]', 'ports: !override ["8443:443"]')).toEqual({ image: 'myapp', ports: [port('8443', 443)] });
  });

  it('!override on a mapping drops the base keys', () => {
    expect(mergeService('environment: {A: "1", B: "2"}', 'environment: !override {C: "3"}')).toEqual({ environment: { C: '3' } });
  });

  it('!override on a list that canonicalization reshaped still applies to it', () => {
    expect(mergeService('depends_on: [db, cache]', 'depends_on: !override [queue]')).toEqual({ depends_on: { queue: { condition: 'service_started', required: true, restart: false } } });
  });

  it('!reset on a sequence item drops that item from the override file', () => {
    expect(mergeService('dns: [1.1.1.1]', 'dns:\n  - 8.8.8.8\n  - !reset 9.9.9.9')).toEqual({ dns: ['1.1.1.1', '8.8.8.8'] });
  });

  it('tags only affect the file that carries them', () => {
    const a = load('/p/a.yaml', 'services:\n  web:\n    ports: !reset ["80"]\n');
    const b = load('/p/b.yaml', 'services:\n  web:\n    ports: ["81"]\n');
    const merged = mergeTrees(a.tree, b.tree, b.tags) as { services: { web: { ports: unknown[] } } };
    expect(merged.services.web.ports).toHaveLength(2);
  });
});
