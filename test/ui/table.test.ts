import { describe, expect, it } from 'vitest';
import type { ContainerDetails, ContainerSummary, PublishedPort } from '../../src/engine/engine.js';
import { ellipsis, formatPorts, humanDuration, renderPsTable, renderTable, toPsJson, toPsRow } from '../../src/ui/table.js';

const now = new Date('2024-01-02T03:10:00Z');
const secondsAgo = (seconds: number): number => now.getTime() / 1000 - seconds;

function container(service: string, overrides: Partial<ContainerSummary> = {}): ContainerSummary {
  return {
    id: `${service}0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab`.slice(0, 64),
    name: `demo-${service}-1`,
    image: 'busybox',
    imageId: 'sha256:1234',
    command: 'sleep 1000',
    created: secondsAgo(10),
    state: 'running',
    status: 'Up 10 seconds',
    labels: { 'com.docker.compose.project': 'demo', 'com.docker.compose.service': service },
    ports: [],
    networks: ['demo_default'],
    ...overrides,
  };
}

const tcp = (targetPort: number, publishedPort = 0, url?: string): PublishedPort => ({
  targetPort,
  publishedPort,
  protocol: 'tcp',
  ...(url === undefined ? {} : { url }),
});

describe('humanDuration (the docker CLI wording)', () => {
  it.each([
    [0, 'Less than a second'],
    [-5_000, 'Less than a second'],
    [999, 'Less than a second'],
    [1_000, '1 second'],
    [59_999, '59 seconds'],
    [60_000, 'About a minute'],
    [119_999, 'About a minute'],
    [120_000, '2 minutes'],
    [59 * 60_000, '59 minutes'],
    [60 * 60_000, 'About an hour'],
    [89 * 60_000, 'About an hour'],
    [90 * 60_000, '2 hours'],
    [47 * 3_600_000, '47 hours'],
    [48 * 3_600_000, '2 days'],
    [14 * 86_400_000, '2 weeks'],
    [60 * 86_400_000, '2 months'],
    [800 * 86_400_000, '2 years'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('ellipsis', () => {
  it('keeps short text and cuts long text to the width, ellipsis included', () => {
    expect(ellipsis('sleep 1000', 20)).toBe('sleep 1000');
    expect(ellipsis('12345678901234567890', 20)).toBe('12345678901234567890');
    expect(ellipsis('123456789012345678901', 20)).toBe('1234567890123456789…');
  });
});

describe('formatPorts (the PORTS cell)', () => {
  it.each<[string, PublishedPort[], string]>([
    ['no ports', [], ''],
    ['an exposed, unpublished port', [tcp(80)], '80/tcp'],
    ['a host mapping', [tcp(80, 8080, '127.0.0.1')], '127.0.0.1:8080->80/tcp'],
    ['IPv4 and IPv6 bindings, IPv6 in brackets', [tcp(80, 8080, '::'), tcp(80, 8080, '0.0.0.0')], '0.0.0.0:8080->80/tcp, [::]:8080->80/tcp'],
    ['consecutive exposed ports as a range', [tcp(8002), tcp(8000), tcp(8001), tcp(9000)], '8000-8002/tcp, 9000/tcp'],
    ['self-published consecutive ports as a range', [tcp(3000, 3000, '0.0.0.0'), tcp(3001, 3001, '0.0.0.0')], '0.0.0.0:3000-3001->3000-3001/tcp'],
    ['protocols apart', [tcp(53), { targetPort: 53, publishedPort: 0, protocol: 'udp' }], '53/tcp, 53/udp'],
    ['ranges first, then other mappings', [tcp(5432, 15432, '127.0.0.1'), tcp(6379)], '6379/tcp, 127.0.0.1:15432->5432/tcp'],
  ])('%s', (_name, ports, text) => {
    expect(formatPorts(ports)).toBe(text);
  });
});

describe('renderTable', () => {
  it('pads every column but the last to max(10, widest + 3)', () => {
    expect(renderTable(['A', 'LONGER HEADER', 'LAST'], [['x', 'y', 'z'], ['a much longer cell', '', '']])).toBe(
      'A                    LONGER HEADER   LAST\n' +
        'x                    y               z\n' +
        'a much longer cell                   \n',
    );
  });

  it('prints the header alone when there are no rows', () => {
    expect(renderTable(['NAME', 'PORTS'], [])).toBe('NAME      PORTS\n');
  });
});

describe('ps table', () => {
  const db = container('db', {
    image: 'postgres:16',
    command: 'docker-entrypoint.sh postgres',
    created: secondsAgo(65),
    status: 'Up About a minute (healthy)',
    ports: [tcp(5432, 15432, '127.0.0.1')],
  });
  const job = container('job', {
    command: "sh -c 'exit 0'",
    created: secondsAgo(5),
    state: 'exited',
    status: 'Exited (0) 3 seconds ago',
  });
  const web = container('web', {
    image: 'nginx:alpine',
    command: "/docker-entrypoint.sh nginx -g 'daemon off;'",
    created: secondsAgo(120),
    status: 'Up 2 minutes',
    ports: [tcp(80, 8080, '::'), tcp(80, 8080, '0.0.0.0')],
  });

  it('renders compose columns: quoted, truncated command; relative creation time; ports', () => {
    expect(renderPsTable([db, job, web].map((c) => toPsRow(c, now)))).toBe(
      [
        'NAME         IMAGE          COMMAND                  SERVICE   CREATED              STATUS                        PORTS',
        'demo-db-1    postgres:16    "docker-entrypoint.s…"   db        About a minute ago   Up About a minute (healthy)   127.0.0.1:15432->5432/tcp',
        'demo-job-1   busybox        "sh -c \'exit 0\'"         job       5 seconds ago        Exited (0) 3 seconds ago      ',
        'demo-web-1   nginx:alpine   "/docker-entrypoint.…"   web       2 minutes ago        Up 2 minutes                  0.0.0.0:8080->80/tcp, [::]:8080->80/tcp',
        '',
      ].join('\n'),
    );
  });

  it('words the status from inspect when the engine gave none', () => {
    const details: ContainerDetails = { ...job, status: '', exitCode: 3, health: 'none', restartCount: 0, mounts: [] };
    expect(toPsRow({ ...job, status: '' }, now, details).status).toBe('exited (3)');
    expect(toPsRow({ ...db, status: '' }, now, { ...details, ...db, status: '', health: 'healthy' }).status).toBe('running (healthy)');
    expect(toPsRow({ ...db, status: '' }, now).status).toBe('running');
  });
});

describe('toPsJson (docker compose ps --format json)', () => {
  const details: ContainerDetails = {
    ...container('db', {
      command: 'docker-entrypoint.sh postgres',
      created: Date.UTC(2024, 0, 2, 3, 4, 5) / 1000,
      status: 'Up 5 minutes (healthy)',
      ports: [tcp(5432, 15432, '127.0.0.1'), tcp(8080)],
      labels: { 'com.docker.compose.service': 'db', 'com.docker.compose.project': 'demo', 'a.label': 'x' },
    }),
    exitCode: 0,
    health: 'healthy',
    restartCount: 0,
    mounts: [
      { type: 'volume', name: 'demo_data0123456789', source: '/var/lib/docker/volumes/demo_data/_data', destination: '/data' },
      { type: 'bind', source: '/srv/conf', destination: '/conf' },
    ],
  };

  it('has compose v2 fields, in its (alphabetical) order, with its truncations', () => {
    const json = toPsJson(details, undefined, now);
    expect(Object.keys(json)).toEqual([...Object.keys(json)].sort());
    expect(json).toEqual({
      Command: '"docker-entrypoint.s…"',
      CreatedAt: '2024-01-02 03:04:05 +0000 UTC',
      ExitCode: 0,
      Health: 'healthy',
      ID: 'db0123456789',
      Image: 'busybox',
      Labels: 'a.label=x,com.docker.compose.project=demo,com.docker.compose.service=db',
      LocalVolumes: '1',
      Mounts: 'demo_data01234…,/srv/conf',
      Name: 'demo-db-1',
      Names: 'demo-db-1',
      Networks: 'demo_default',
      Ports: '8080/tcp, 127.0.0.1:15432->5432/tcp',
      Project: 'demo',
      Publishers: [
        { URL: '127.0.0.1', TargetPort: 5432, PublishedPort: 15432, Protocol: 'tcp' },
        { URL: '', TargetPort: 8080, PublishedPort: 0, Protocol: 'tcp' },
      ],
      RunningFor: '5 minutes ago',
      Service: 'db',
      Size: '0B',
      State: 'running',
      Status: 'Up 5 minutes (healthy)',
    });
  });

  it('reports ExitCode only for stopped containers and Health only for running ones', () => {
    const exited = { ...details, state: 'exited' as const, exitCode: 137, status: 'Exited (137) 1 second ago' };
    expect(toPsJson(exited, undefined, now)).toMatchObject({ ExitCode: 137, Health: '', State: 'exited' });
    const summary = container('web');
    expect(toPsJson(summary, undefined, now)).toMatchObject({ ExitCode: 0, Health: '', Mounts: '', LocalVolumes: '0', Publishers: [] });
    expect(toPsJson(summary, { ...details, ...summary, health: 'starting' }, now)).toMatchObject({ Health: 'starting' });
  });
});
