// Specification of which files `gantry config` reads: -f (repeated, or - for stdin), COMPOSE_FILE,
// discovery upwards from the working directory with the override file beside the one found, and
// --project-directory. Each case writes its files to a fresh directory.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, createTempDirs, CLI_TIMEOUT, runCli, runCliOk, writeFiles } from '../support/cli.js';

beforeAll(assertBuilt);
const tempDir = createTempDirs();

type Model = { name: string; services: Record<string, Record<string, unknown>> };

async function configJson(args: readonly string[], options: Parameters<typeof runCli>[1] = {}): Promise<Model> {
  const { stdout } = await runCliOk([...args, 'config', '--format', 'json'], options);
  return JSON.parse(stdout) as Model;
}

const BASE = `services:
  web:
    image: nginx
    command: ["nginx", "-g", "daemon off;"]
    ports: ["8080:80"]
    volumes: ["./html:/usr/share/nginx/html"]
`;
const OVERRIDE = `services:
  web:
    command: ["nginx", "-T"]
    ports: ["8443:443"]
`;
const publishedPorts = (model: Model): unknown[] => (model.services.web?.ports as { published: string }[]).map((p) => p.published);

describe.concurrent('gantry -f', { timeout: CLI_TIMEOUT }, () => {
  it('reads standard input for -f -, relative to the working directory', async () => {
    const dir = writeFiles(tempDir(), { 'compose.yaml': 'services: {ignored: {image: nope}}\n' });
    const model = await configJson(['-f', '-'], { cwd: dir, stdin: BASE });
    expect(Object.keys(model.services)).toEqual(['web']);
    expect(model.services.web?.volumes).toEqual([expect.objectContaining({ type: 'bind', source: join(dir, 'html'), target: '/usr/share/nginx/html' })]);
  });

  it('merges a second -f onto the first: ports append, command replaces', async () => {
    const dir = writeFiles(tempDir(), { 'base.yaml': BASE, 'prod.yaml': OVERRIDE });
    const model = await configJson(['-f', 'base.yaml', '-f', 'prod.yaml'], { cwd: dir });
    expect(model.services.web?.command).toEqual(['nginx', '-T']);
    expect(publishedPorts(model)).toEqual(['8080', '8443']);
  });

  it('merges in the order given: the last file\'s command wins', async () => {
    const dir = writeFiles(tempDir(), { 'base.yaml': BASE, 'prod.yaml': OVERRIDE });
    const model = await configJson(['-f', 'prod.yaml', '-f', 'base.yaml'], { cwd: dir });
    expect(model.services.web?.command).toEqual(['nginx', '-g', 'daemon off;']);
    expect(publishedPorts(model)).toEqual(['8443', '8080']);
  });

  it('takes the project directory (relative paths, name) from the first file', async () => {
    const dir = writeFiles(tempDir(), { 'stack/base.yaml': BASE, 'overrides/prod.yaml': OVERRIDE });
    const model = await configJson(['-f', 'stack/base.yaml', '-f', 'overrides/prod.yaml'], { cwd: dir });
    expect(model.name).toBe('stack');
    expect(model.services.web?.volumes).toEqual([expect.objectContaining({ source: join(dir, 'stack/html') })]);
  });
});

describe.concurrent('COMPOSE_FILE', { timeout: CLI_TIMEOUT }, () => {
  it('stands in for -f, with files separated by ":"', async () => {
    const dir = writeFiles(tempDir(), { 'a.yaml': BASE, 'b.yaml': OVERRIDE });
    const [viaEnv, viaFlags] = await Promise.all([
      runCliOk(['config'], { cwd: dir, env: { COMPOSE_FILE: 'a.yaml:b.yaml' } }),
      runCliOk(['-f', 'a.yaml', '-f', 'b.yaml', 'config'], { cwd: dir }),
    ]);
    expect(viaEnv.stdout).toBe(viaFlags.stdout);
    expect(viaEnv.stdout).toContain('- nginx\n      - -T\n');
  });

  it('is ignored when -f is given', async () => {
    const dir = writeFiles(tempDir(), { 'a.yaml': BASE, 'b.yaml': OVERRIDE });
    const model = await configJson(['-f', 'a.yaml'], { cwd: dir, env: { COMPOSE_FILE: 'a.yaml:b.yaml' } });
    expect(model.services.web?.command).toEqual(['nginx', '-g', 'daemon off;']);
  });

  it('names a missing file as coming from COMPOSE_FILE', async () => {
    const dir = writeFiles(tempDir(), { 'a.yaml': BASE });
    const { code, stderr } = await runCli(['config', '-q'], { cwd: dir, env: { COMPOSE_FILE: 'a.yaml:nope.yaml' } });
    expect(code).toBe(1);
    expect(stderr).toContain(`compose file not found: ${join(dir, 'nope.yaml')}`);
    expect(stderr).toContain('check COMPOSE_FILE');
  });
});

describe.concurrent('discovery without -f', { timeout: CLI_TIMEOUT }, () => {
  it('finds the parent directory\'s compose.yaml and its compose.override.yaml from a subdirectory', async () => {
    const dir = writeFiles(tempDir(), { 'shop/compose.yaml': BASE, 'shop/compose.override.yaml': OVERRIDE, 'shop/src/lib/.keep': '' });
    const model = await configJson([], { cwd: join(dir, 'shop/src/lib') });
    expect(model.name).toBe('shop');
    expect(model.services.web?.command).toEqual(['nginx', '-T']);
    expect(publishedPorts(model)).toEqual(['8080', '8443']);
    expect(model.services.web?.volumes).toEqual([expect.objectContaining({ source: join(dir, 'shop/html') })]);
  });

  it('stops at the nearest directory that has a compose file', async () => {
    const dir = writeFiles(tempDir(), { 'compose.yaml': BASE, 'inner/compose.yaml': 'services: {inner: {image: busybox}}\n' });
    const model = await configJson([], { cwd: join(dir, 'inner') });
    expect(Object.keys(model.services)).toEqual(['inner']);
  });

  it('finds docker-compose.yml too, with docker-compose.override.yml', async () => {
    const dir = writeFiles(tempDir(), { 'docker-compose.yml': BASE, 'docker-compose.override.yml': OVERRIDE });
    const model = await configJson([], { cwd: dir });
    expect(model.services.web?.command).toEqual(['nginx', '-T']);
  });

  it('prefers compose.yaml over docker-compose.yml and says so on stderr', async () => {
    const dir = writeFiles(tempDir(), { 'compose.yaml': BASE, 'docker-compose.yml': 'services: {old: {image: busybox}}\n' });
    const { stdout, stderr } = await runCliOk(['config', '--services'], { cwd: dir });
    expect(stdout).toBe('web\n');
    expect(stderr).toContain('using compose.yaml');
  });

  it('says where it looked when there is no compose file', async () => {
    const dir = tempDir();
    const { code, stderr } = await runCli(['config'], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toContain(`no compose file found in ${dir} or its parents`);
  });
});

describe.concurrent('--project-directory', { timeout: CLI_TIMEOUT }, () => {
  it('sets the base of relative paths, the .env file and the project name', async () => {
    const dir = writeFiles(tempDir(), {
      'files/compose.yaml': 'services:\n  web:\n    image: nginx:${TAG}\n    volumes: ["./html:/html"]\n',
      'app/.env': 'TAG=1.27\n',
    });
    const model = await configJson(['-f', 'files/compose.yaml', '--project-directory', 'app'], { cwd: dir });
    expect(model.name).toBe('app');
    expect(model.services.web?.image).toBe('nginx:1.27');
    expect(model.services.web?.volumes).toEqual([expect.objectContaining({ source: join(dir, 'app/html') })]);
  });
});
