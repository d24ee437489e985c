import { describe, expect, it } from 'vitest';
import { alignColumns, groupStacks, humanSize, renderImages, renderStacks, renderTop, splitReference, toImagesJson, toStacksJson } from '../../src/ui/listing.js';

describe('alignColumns', () => {
  it('pads every column but the last to the widest cell plus padding, at least the minimum', () => {
    expect(alignColumns([['A', 'BB', 'C'], ['long-cell', 'x', 'last cell is not padded']], { minWidth: 4, padding: 2 })).toBe(
      'A          BB  C\n' +
      'long-cell  x   last cell is not padded\n',
    );
  });
});

describe('renderTop', () => {
  it('prints one table, SERVICE and # first, CMD last, as compose top does', () => {
    const titles = ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'];
    const text = renderTop([
      { service: 'web', replica: '1', table: { titles, processes: [['root', '10', '1', '0', '10:00', '?', '00:00:00', 'httpd -f']] } },
      { service: 'db', replica: '2', table: { titles: ['PID', 'CMD', 'EXTRA'], processes: [['20', 'sleep 1000', 'e']] } },
    ]);
    expect(text.split('\n')[0]?.split(/\s+/)).toEqual(['SERVICE', '#', 'UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'EXTRA', 'CMD']);
    expect(text.split('\n')[1]?.split(/\s+/)).toEqual(['web', '1', 'root', '10', '1', '0', '10:00', '?', '00:00:00', '-', 'httpd', '-f']);
    expect(text.split('\n')[2]?.split(/\s+/)).toEqual(['db', '2', '-', '20', '-', '-', '-', '-', '-', 'e', 'sleep', '1000']);
  });

  it('prints nothing without processes', () => {
    expect(renderTop([])).toBe('');
  });
});

describe('images', () => {
  it('splits references as compose does', () => {
    expect(splitReference('gantry-test/busybox:1')).toEqual({ repository: 'gantry-test/busybox', tag: '1' });
    expect(splitReference('busybox')).toEqual({ repository: 'busybox', tag: 'latest' });
    expect(splitReference('127.0.0.1:5000/x/y:2')).toEqual({ repository: '127.0.0.1:5000/x/y', tag: '2' });
    expect(splitReference('docker.io/library/nginx:1.25')).toEqual({ repository: 'nginx', tag: '1.25' });
    expect(splitReference('sha256:8d4430f97981aaaa')).toEqual({ repository: '', tag: '' });
  });

  it('words sizes as go-units does: decimal, three significant digits', () => {
    expect([0, 999, 1000, 1_980_000, 2_048_000, 123_456_789, 5e9].map(humanSize)).toEqual(['0B', '999B', '1kB', '1.98MB', '2.05MB', '123MB', '5GB']);
  });

  it('renders the table sorted by container, and JSON with full ids', () => {
    const image = { id: 'sha256:8d4430f97981' + 'a'.repeat(52), repoTags: ['gantry-test/busybox:1'], size: 1_980_000, created: '2024-01-01T00:00:00Z', platform: 'linux/amd64' };
    const rows = [{ container: 'demo-web-1', reference: 'gantry-test/busybox:1', image }, { container: 'demo-api-1', reference: 'gantry-test/busybox:1', image }];
    const text = renderImages(rows, new Date('2024-01-01T00:00:30Z'));
    expect(text).toBe(
      'CONTAINER           REPOSITORY            TAG                 PLATFORM            IMAGE ID            SIZE                CREATED\n' +
      'demo-api-1          gantry-test/busybox   1                   linux/amd64         8d4430f97981        1.98MB              30 seconds ago\n' +
      'demo-web-1          gantry-test/busybox   1                   linux/amd64         8d4430f97981        1.98MB              30 seconds ago\n',
    );
    expect(toImagesJson(rows)[0]).toEqual({ ID: image.id, ContainerName: 'demo-web-1', Repository: 'gantry-test/busybox', Tag: '1', Platform: 'linux/amd64', Size: 1_980_000, Created: image.created });
  });
});

describe('ls', () => {
  const labels = (project: string, files: string) => ({ 'com.docker.compose.project': project, 'com.docker.compose.project.config_files': files });
  const stacks = groupStacks([
    { state: 'running', labels: labels('b', '/b/compose.yaml') },
    { state: 'exited', labels: labels('b', '/b/compose.yaml,/b/override.yaml') },
    { state: 'running', labels: labels('b', '/b/compose.yaml') },
    { state: 'running', labels: labels('a', '/a/compose.yaml') },
    { state: 'running', labels: {} },
  ]);

  it('groups containers by project with counts per state, as compose ls does', () => {
    expect(stacks).toEqual([
      { name: 'a', status: 'running(1)', configFiles: '/a/compose.yaml' },
      { name: 'b', status: 'exited(1), running(2)', configFiles: '/b/compose.yaml,/b/override.yaml' },
    ]);
  });

  it('renders a table and compose\'s JSON keys', () => {
    // STATUS is wider than the minimum of 20: 'exited(1), running(2)' plus 3 of padding.
    expect(renderStacks(stacks).split('\n')[0]).toBe(`NAME${' '.repeat(16)}STATUS${' '.repeat(18)}CONFIG FILES`);
    expect(toStacksJson(stacks)[0]).toEqual({ Name: 'a', Status: 'running(1)', ConfigFiles: '/a/compose.yaml' });
  });
});
