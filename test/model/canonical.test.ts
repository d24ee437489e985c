// Specification of the canonical stage: every short syntax and the long form compose prints for it.
import { describe, expect, it } from 'vitest';
import { canonicalizeTree, formatDuration, parseDuration, parseSize } from '../../src/model/canonical.js';
import { parseSource } from '../../src/model/source.js';

const FILE = '/project/compose.yaml';
const ctx = { workingDir: '/project', homeDir: '/home/me' };

function canonical(yaml: string) {
  const source = parseSource(FILE, yaml);
  return canonicalizeTree(source.tree as Record<string, unknown>, { source, ...ctx });
}

/** Canonicalizes one service attribute given as YAML flow text and returns its long form. */
function attribute(key: string, flow: string) {
  const result = canonical(`services:\n  web:\n    ${key}: ${flow}\n`);
  const services = result.tree.services as Record<string, Record<string, unknown>>;
  return { value: services.web?.[key], issues: result.issues };
}

const tcp = (target: number, extra: Record<string, unknown> = {}) => ({ mode: 'ingress', ...extra, target, protocol: 'tcp' });

describe('ports', () => {
  it.each([
    ['"80"', [tcp(80)]],
    ['80', [tcp(80)]],
    ['"8080:80"', [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]],
    ['"127.0.0.1:8080:80"', [{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, published: '8080', protocol: 'tcp' }]],
    ['"[::1]:8080:80"', [{ mode: 'ingress', host_ip: '::1', target: 80, published: '8080', protocol: 'tcp' }]],
    ['"::1:6000:6000"', [{ mode: 'ingress', host_ip: '::1', target: 6000, published: '6000', protocol: 'tcp' }]],
    ['"127.0.0.1::80"', [{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, protocol: 'tcp' }]],
    ['"53:53/udp"', [{ mode: 'ingress', target: 53, published: '53', protocol: 'udp' }]],
    ['"3000-3002"', [tcp(3000), tcp(3001), tcp(3002)]],
    ['"8000-8001:8000-8001"', [tcp(8000, { published: '8000' }), tcp(8001, { published: '8001' })].map(({ protocol, ...p }) => ({ ...p, protocol }))],
    ['"9090-9091:8080-8081/udp"', [
      { mode: 'ingress', target: 8080, published: '9090', protocol: 'udp' },
      { mode: 'ingress', target: 8081, published: '9091', protocol: 'udp' },
    ]],
    ['"8000-8010:80"', [{ mode: 'ingress', target: 80, published: '8000-8010', protocol: 'tcp' }]],
    ['{target: "80", published: 8080}', [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]],
    ['{target: 80, host_ip: 10.0.0.1, protocol: UDP, mode: host, name: web}', [{ mode: 'host', host_ip: '10.0.0.1', target: 80, protocol: 'udp', name: 'web' }]],
  ])('ports: [%s] → one long entry per port', (flow, expected) => {
    const { value, issues } = attribute('ports', `[${flow}]`);
    expect(issues).toEqual([]);
    expect(value).toEqual(expected);
  });

  it.each([
    ['"0"', 'not a valid port number'],
    ['"70000"', 'not a valid port number'],
    ['"8080:99999"', 'not a valid port number'],
    ['"8000-8002:80-81"', 'the ranges must have the same length'],
    ['"8000:80-81"', 'the ranges must have the same length'],
    ['"http"', 'expected a port number'],
    ['"80/icmp"', 'invalid protocol'],
    ['"1.2.3.999:80:80"', 'invalid host IP'],
    ['"90-80"', 'ends (80) before it starts (90)'],
    ['{target: 0}', 'invalid target port'],
  ])('ports: [%s] is an issue located at the entry', (flow, message) => {
    const result = canonical(`services:\n  web:\n    ports:\n      - "8080:80"\n      - ${flow}\n`);
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ file: FILE, line: 5, column: 9, path: ['services', 'web', 'ports', 1] });
    expect(result.issues[0]?.message).toContain(message);
  });
});

describe('volumes', () => {
  it.each([
    ['data:/var/lib/db', { type: 'volume', source: 'data', target: '/var/lib/db', volume: {} }],
    ['data:/var/lib/db:ro', { type: 'volume', source: 'data', target: '/var/lib/db', read_only: true, volume: {} }],
    ['data:/x:nocopy', { type: 'volume', source: 'data', target: '/x', volume: { nocopy: true } }],
    ['/cache', { type: 'volume', target: '/cache', volume: {} }],
    ['./src:/app', { type: 'bind', source: '/project/src', target: '/app', bind: { create_host_path: true } }],
    ['../shared:/shared:ro', { type: 'bind', source: '/shared', target: '/shared', read_only: true, bind: { create_host_path: true } }],
    ['/abs:/p:rw,z', { type: 'bind', source: '/abs', target: '/p', bind: { create_host_path: true, selinux: 'z' } }],
    ['~/x:/y', { type: 'bind', source: '/home/me/x', target: '/y', bind: { create_host_path: true } }],
    ['.:/code:rshared', { type: 'bind', source: '/project', target: '/code', bind: { create_host_path: true, propagation: 'rshared' } }],
  ])('volumes: %s', (spec, expected) => {
    const { value, issues } = attribute('volumes', `["${spec}"]`);
    expect(issues).toEqual([]);
    expect(value).toEqual([expected]);
  });

  it.each([
    ['{type: bind, source: ./data, target: /data, read_only: "true"}', { type: 'bind', source: '/project/data', target: '/data', read_only: true }],
    ['{type: volume, source: data, target: /data}', { type: 'volume', source: 'data', target: '/data' }],
    ['{type: tmpfs, target: /tmp, tmpfs: {size: 64m, mode: "1777"}}', { type: 'tmpfs', target: '/tmp', tmpfs: { size: 67108864, mode: 0o1777 } }],
  ])('volumes: long form %s keeps its shape, with paths made absolute', (flow, expected) => {
    const { value, issues } = attribute('volumes', `[${flow}]`);
    expect(issues).toEqual([]);
    expect(value).toEqual([expected]);
  });

  it.each([
    ['data:/x:bogus', 'unknown mode "bogus"'],
    ['data:relative', 'must be absolute'],
    ['a:b:c:d', 'expected SOURCE:TARGET[:MODE]'],
  ])('volumes: %s is an issue', (spec, message) => {
    const { issues } = attribute('volumes', `["${spec}"]`);
    expect(issues[0]?.message).toContain(message);
    expect(issues[0]?.path).toEqual(['services', 'web', 'volumes', 0]);
  });
});

describe('lists and mappings', () => {
  it.each([
    ['environment', '[A=1, B=, C, D=x=y]', { A: '1', B: '', C: null, D: 'x=y' }],
    ['environment', '{A: 1, B: true, C: null, D: 1.5}', { A: '1', B: 'true', C: null, D: '1.5' }],
    ['labels', '[com.example=1, flag]', { 'com.example': '1', flag: '' }],
    ['labels', '{a: 1, b: null}', { a: '1', b: '' }],
    ['sysctls', '[net.core.somaxconn=1024]', { 'net.core.somaxconn': '1024' }],
    ['annotations', '[a=b]', { a: 'b' }],
    ['expose', '[3000, "8000-8005/tcp"]', ['3000', '8000-8005/tcp']],
    ['dns', '8.8.8.8', ['8.8.8.8']],
    ['dns_search', 'example.com', ['example.com']],
    ['tmpfs', '/run', ['/run']],
    ['group_add', '[mail, 1000]', ['mail', '1000']],
    ['extra_hosts', '{db: 10.0.0.2, multi: [10.0.0.3, "::1"]}', ['db:10.0.0.2', 'multi:10.0.0.3', 'multi:::1']],
    ['extra_hosts', '["a=1.2.3.4", "b:5.6.7.8", "c=[::1]"]', ['a:1.2.3.4', 'b:5.6.7.8', 'c:::1']],
    ['networks', '[front, back]', { front: {}, back: {} }],
    ['networks', '{front: null, back: {aliases: [db]}}', { front: {}, back: { aliases: ['db'] } }],
    ['depends_on', '[db]', { db: { condition: 'service_started', required: true, restart: false } }],
    ['depends_on', '{db: {condition: service_healthy, restart: true}}', { db: { condition: 'service_healthy', required: true, restart: true } }],
    ['ulimits', '{nproc: 65535, nofile: {soft: 20000, hard: "40000"}}', { nproc: { soft: 65535, hard: 65535 }, nofile: { soft: 20000, hard: 40000 } }],
    ['secrets', '[token, {source: key, target: api, mode: "0440"}]', [{ source: 'token', target: '/run/secrets/token' }, { source: 'key', target: '/run/secrets/api', mode: 0o440 }]],
    // A leading zero is octal, as compose's YAML 1.1 reads it; without one the number is decimal.
    ['secrets', '[{source: a, mode: 0440}, {source: b, mode: 0o400}, {source: c, mode: 288}]', [{ source: 'a', target: '/run/secrets/a', mode: 0o440 }, { source: 'b', target: '/run/secrets/b', mode: 0o400 }, { source: 'c', target: '/run/secrets/c', mode: 288 }]],
    ['configs', '[{source: app, target: /etc/app.conf, uid: "1000", mode: 0644}]', [{ source: 'app', target: '/etc/app.conf', uid: '1000', mode: 0o644 }]],
    ['configs', '[app, {source: nginx, target: /etc/nginx.conf}]', [{ source: 'app', target: '/app' }, { source: 'nginx', target: '/etc/nginx.conf' }]],
    ['env_file', '.env', [{ path: '/project/.env', required: true }]],
    ['env_file', '[a.env, {path: /etc/b.env, required: false, format: raw}]', [{ path: '/project/a.env', required: true }, { path: '/etc/b.env', required: false, format: 'raw' }]],
    ['label_file', './app.labels', ['/project/app.labels']],
    ['extends', 'base', { service: 'base' }],
    ['extends', '{service: base, file: ../common.yaml}', { service: 'base', file: '/common.yaml' }],
  ])('%s: %s', (key, flow, expected) => {
    const { value, issues } = attribute(key, flow);
    expect(issues).toEqual([]);
    expect(value).toEqual(expected);
  });
});

describe('build', () => {
  it.each([
    ['.', { context: '/project', dockerfile: 'Dockerfile' }],
    ['./app', { context: '/project/app', dockerfile: 'Dockerfile' }],
    ['https://github.com/docker/compose.git', { context: 'https://github.com/docker/compose.git', dockerfile: 'Dockerfile' }],
    ['git@github.com:docker/compose.git', { context: 'git@github.com:docker/compose.git', dockerfile: 'Dockerfile' }],
    ['{dockerfile: Dockerfile.dev}', { context: '/project', dockerfile: 'Dockerfile.dev' }],
    ['{dockerfile_inline: "FROM alpine"}', { context: '/project', dockerfile_inline: 'FROM alpine' }],
    ['{context: app, args: [A=1, B], labels: [x=y], shm_size: 1g, extra_hosts: {h: 1.1.1.1}}', {
      context: '/project/app', dockerfile: 'Dockerfile', args: { A: '1', B: null }, labels: { x: 'y' }, shm_size: 1073741824, extra_hosts: ['h:1.1.1.1'],
    }],
    ['{additional_contexts: [shared=../shared, img=docker-image://alpine]}', {
      context: '/project', dockerfile: 'Dockerfile', additional_contexts: { shared: '/shared', img: 'docker-image://alpine' },
    }],
  ])('build: %s', (flow, expected) => {
    const { value, issues } = attribute('build', flow);
    expect(issues).toEqual([]);
    expect(value).toEqual(expected);
  });
});

describe('commands', () => {
  it.each([
    ['command', '"echo hello"', ['echo', 'hello']],
    ['command', `"sh -c 'echo \\"a b\\"; exit 1'"`, ['sh', '-c', 'echo "a b"; exit 1']],
    ['command', '"a  \\"b c\\"  d\\\\ e"', ['a', 'b c', 'd e']],
    ['command', "\"''\"", ['']],
    ['command', '[echo, hi]', ['echo', 'hi']],
    ['command', 'null', null],
    ['entrypoint', '""', []],
    ['entrypoint', '/entry.sh', ['/entry.sh']],
  ])('%s: %s', (key, flow, expected) => {
    const { value, issues } = attribute(key, flow);
    expect(issues).toEqual([]);
    expect(value).toEqual(expected);
  });

  it('reports an unterminated quote', () => {
    const { issues } = attribute('command', `"echo 'oops"`);
    expect(issues[0]?.message).toContain('unterminated single quote');
  });

  it('turns a healthcheck test string into CMD-SHELL and durations into Go form', () => {
    const { value, issues } = attribute('healthcheck', '{test: "curl -f http://localhost", interval: 90s, timeout: 500ms, start_period: 1h, start_interval: 1.5s}');
    expect(issues).toEqual([]);
    expect(value).toEqual({ test: ['CMD-SHELL', 'curl -f http://localhost'], interval: '1m30s', timeout: '500ms', start_period: '1h0m0s', start_interval: '1.5s' });
  });
});

describe('durations and sizes', () => {
  it.each([
    ['stop_grace_period', '1m30s', '1m30s'],
    ['stop_grace_period', '90s', '1m30s'],
    ['mem_limit', '512m', 536870912],
    ['mem_limit', '1gb', 1073741824],
    ['mem_limit', '1.5G', 1610612736],
    ['mem_limit', '2048', 2048],
    ['mem_limit', '1024', 1024],
    ['memswap_limit', '-1', -1],
    ['mem_reservation', '100k', 102400],
    ['shm_size', '64M', 67108864],
  ])('%s: %s → %s', (key, flow, expected) => {
    const { value, issues } = attribute(key, flow);
    expect(issues).toEqual([]);
    expect(value).toEqual(expected);
  });

  it('canonicalizes deploy memory limits to a byte count in a string (the schema allows only strings there)', () => {
    const { value } = attribute('deploy', '{resources: {limits: {memory: 50M}, reservations: {memory: 20m}}}');
    expect(value).toEqual({ resources: { limits: { memory: '52428800' }, reservations: { memory: '20971520' } } });
  });

  it.each([
    ['stop_grace_period', '10', 'invalid duration'],
    ['stop_grace_period', 'soon', 'invalid duration'],
    ['mem_limit', 'lots', 'invalid size'],
    ['mem_limit', '1x', 'invalid size'],
  ])('%s: %s is an issue at the field', (key, flow, message) => {
    const { issues } = attribute(key, flow);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: ['services', 'web', key], line: 3 });
    expect(issues[0]?.message).toContain(message);
  });

  it.each([
    ['0', 0], ['10s', 10e9], ['1m30s', 90e9], ['1.5h', 5400e9], ['300ms', 300e6], ['2us', 2000], ['2µs', 2000], ['7ns', 7], ['1h2m3s4ms', 3723004e6],
  ])('parseDuration(%s) = %d ns', (text, nanos) => {
    expect(parseDuration(text)).toBe(nanos);
  });

  it.each(['', '10', 's', '1x', '-5s', '1.s.'])('parseDuration(%j) is undefined', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([
    [0, '0s'], [1, '1ns'], [1500, '1.5µs'], [500e6, '500ms'], [10e9, '10s'], [90e9, '1m30s'], [3600e9, '1h0m0s'], [1.5e9, '1.5s'], [3723004e6, '1h2m3.004s'],
  ])('formatDuration(%d) = %s', (nanos, text) => {
    expect(formatDuration(nanos)).toBe(text);
  });

  it.each([
    [1024, 1024], ['1k', 1024], ['1kb', 1024], ['1KiB', 1024], ['1 MB', 1048576], ['0.5g', 536870912], ['10b', 10],
  ])('parseSize(%j) = %d', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(['', 'k', '1x', '-1', -5, '1.5.k.'])('parseSize(%j) is undefined', (text) => {
    expect(parseSize(text)).toBeUndefined();
  });
});

describe('top-level resources', () => {
  it('makes secret and config files absolute and fills empty definitions', () => {
    const result = canonical([
      'secrets:',
      '  token: {file: ./token.txt}',
      '  env: {environment: TOKEN}',
      'configs:',
      '  app: {file: ~/app.conf}',
      'networks:',
      '  front:',
      '  back: {labels: [tier=back]}',
      'volumes:',
      '  data:',
    ].join('\n'));
    expect(result.issues).toEqual([]);
    expect(result.tree).toEqual({
      secrets: { token: { file: '/project/token.txt' }, env: { environment: 'TOKEN' } },
      configs: { app: { file: '/home/me/app.conf' } },
      networks: { front: {}, back: { labels: { tier: 'back' } } },
      volumes: { data: {} },
    });
  });

  it('reads the legacy external: {name} as external: true with that name', () => {
    const result = canonical([
      'networks:',
      '  outside: {external: {name: real-net}}',
      '  same: {name: n, external: {name: n}}',
      '  plain: {external: {}}',
      'volumes:',
      '  data: {external: {name: real-vol}}',
      'secrets:',
      '  token: {external: {name: real-secret}}',
    ].join('\n'));
    expect(result.issues).toEqual([]);
    expect(result.tree).toEqual({
      networks: { outside: { external: true, name: 'real-net' }, same: { name: 'n', external: true }, plain: { external: true } },
      volumes: { data: { external: true, name: 'real-vol' } },
      secrets: { token: { external: true, name: 'real-secret' } },
    });
  });

  it('reports a name that contradicts external.name', () => {
    const result = canonical('volumes:\n  data:\n    name: one\n    external:\n      name: two\n');
    expect(result.issues).toEqual([expect.objectContaining({ path: ['volumes', 'data', 'external', 'name'], line: 5, message: expect.stringMatching(/^conflicting `name` and `external.name`/) })]);
  });

  it('does not change its input and keeps __proto__ keys as data', () => {
    const source = parseSource(FILE, 'services:\n  web:\n    environment: ["__proto__=x"]\n    ports: ["80"]\n');
    const before = structuredClone(source.tree);
    const result = canonicalizeTree(source.tree as Record<string, unknown>, { source, ...ctx });
    expect(source.tree).toEqual(before);
    const env = (result.tree.services as Record<string, Record<string, unknown>>).web?.environment as Record<string, unknown>;
    expect(Object.getPrototypeOf(env)).toBe(Object.prototype);
    expect(Object.keys(env)).toEqual(['__proto__']);
  });

  it('leaves an empty service definition alone', () => {
    expect(canonical('services:\n  nil:\n').tree).toEqual({ services: { nil: null } });
  });
});
