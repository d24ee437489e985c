// Specification of what `gantry config` prints: the resolved model as YAML or JSON (the same
// model), nothing with -q, name lists with --services/--volumes/--networks/--images, a file with -o.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, createTempDirs, CLI_TIMEOUT, runCli, runCliOk, writeFiles } from '../support/cli.js';

beforeAll(assertBuilt);
const tempDir = createTempDirs();

const STACK = `name: shop
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    depends_on: [api]
    networks: [front]
  api:
    build: ./api
    volumes: ["data:/var/lib/api"]
    networks: [front, back]
  debug:
    image: busybox
    profiles: [debug]
volumes:
  data: {}
  logs: {}
networks:
  front: {}
  back: {}
`;

function stack(): string {
  return writeFiles(tempDir(), { 'compose.yaml': STACK });
}

describe.concurrent('gantry config', { timeout: CLI_TIMEOUT }, () => {
  it('prints the resolved model as YAML: long syntax, absolute paths, defaults filled in', async () => {
    const dir = stack();
    const { stdout, stderr } = await runCliOk(['config'], { cwd: dir });
    expect(stderr).toBe('');
    const model = parse(stdout) as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(model)).toEqual(['name', 'services', 'networks', 'volumes']);
    expect(model.services?.web?.ports).toEqual([{ mode: 'ingress', protocol: 'tcp', published: '8080', target: 80 }]);
    expect(model.services?.web?.depends_on).toEqual({ api: { condition: 'service_started', required: true, restart: false } });
    expect(model.services?.api?.build).toEqual({ context: join(dir, 'api'), dockerfile: 'Dockerfile' });
    expect(model.services?.api?.image).toBe('shop-api');
    expect(model.networks?.front).toEqual({ name: 'shop_front' });
  });

  it('prints the same model as JSON with --format json', async () => {
    const dir = stack();
    const [yaml, json] = await Promise.all([runCliOk(['config'], { cwd: dir }), runCliOk(['config', '--format', 'json'], { cwd: dir })]);
    expect(JSON.parse(json.stdout)).toEqual(parse(yaml.stdout));
  });

  it('refuses an unknown --format', async () => {
    const { code, stdout, stderr } = await runCli(['config', '--format', 'toml'], { cwd: stack() });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown format "toml"');
  });

  it('prints nothing with -q and exits 0 for a valid file', async () => {
    const { code, stdout, stderr } = await runCli(['config', '-q'], { cwd: stack() });
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it.each([
    ['--services', 'web\napi\n'],
    ['--volumes', 'data\nlogs\n'],
    ['--networks', 'front\nback\n'],
    ['--images', 'nginx:1.27\nshop-api\n'],
    ['--profiles', 'debug\n'],
  ])('%s prints one name per line', async (flag, expected) => {
    const { stdout } = await runCliOk(['config', flag], { cwd: stack() });
    expect(stdout).toBe(expected);
  });

  it('prints only the services named, with every top-level resource', async () => {
    const { stdout } = await runCliOk(['config', '--format', 'json', 'api'], { cwd: stack() });
    const model = JSON.parse(stdout) as Record<string, Record<string, unknown>>;
    expect(Object.keys(model.services ?? {})).toEqual(['api']);
    expect(Object.keys(model.volumes ?? {})).toEqual(['data', 'logs']);
  });

  it('writes to a file with -o, and nothing to stdout', async () => {
    const dir = stack();
    const [toFile, toStdout] = await Promise.all([runCliOk(['config', '-o', 'out.yaml'], { cwd: dir }), runCliOk(['config'], { cwd: dir })]);
    expect(toFile.stdout).toBe('');
    expect(readFileSync(join(dir, 'out.yaml'), 'utf8')).toBe(toStdout.stdout);
  });

  it('writes no file with -o when the model is invalid', async () => {
    const dir = writeFiles(tempDir(), { 'compose.yaml': 'services: {web: {image: nginx, ports: ["99999:80"]}}\n' });
    const { code } = await runCli(['config', '-o', 'out.yaml'], { cwd: dir });
    expect(code).toBe(1);
    expect(existsSync(join(dir, 'out.yaml'))).toBe(false);
  });

  it('doubles every literal $ (as docker compose does), so the output is not interpolated twice', async () => {
    const dir = writeFiles(tempDir(), {
      'compose.yaml': 'services:\n  web:\n    image: nginx\n    command: sh -c "echo $$HOME ${PRICE}"\n',
      '.env': 'PRICE=$$5\n',
    });
    const { stdout } = await runCliOk(['config', '--format', 'json'], { cwd: dir });
    const model = JSON.parse(stdout) as { services: { web: { command: string[] } } };
    expect(model.services.web.command).toEqual(['sh', '-c', 'echo $$HOME $$5']);
  });
});
