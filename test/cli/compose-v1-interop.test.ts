// A record, kept honest by a test, of what Debian's docker-compose 1.29 makes of Gantry's `config`
// output: it rejects exactly the keys below (all newer than its schema), and loads the rest to the
// same services. Skipped where docker-compose is not installed.
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI_TIMEOUT, cleanEnv, createTempDirs, runCliOk, writeFiles } from '../support/cli.js';

const hasComposeV1 = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' }).stdout?.startsWith('1.') === true;
const tempDir = createTempDirs();

type Tree = Record<string, unknown>;
type Strip = (model: Tree) => void;

const eachService = (model: Tree, fn: (service: Tree) => void): void => {
  for (const service of Object.values(model.services as Record<string, Tree>)) fn(service);
};
const eachItem = (service: Tree, key: string, fn: (item: Tree) => void): void => {
  for (const item of (service[key] as Tree[] | undefined) ?? []) fn(item);
};

/**
 * The keys of Gantry's output docker-compose 1.29 refuses, with the error that names each; it
 * reports one unsupported option per place, so `restart` only shows once `required` is gone.
 */
const V1_REJECTS: readonly { readonly key: string; readonly error?: string; readonly strip: Strip }[] = [
  { key: 'top-level name', error: "'name' does not match any of the regexes", strip: (m) => delete m.name },
  { key: 'depends_on.*.required', error: "depends_on contains unsupported option: 'required'", strip: (m) => eachService(m, (s) => Object.values((s.depends_on ?? {}) as Record<string, Tree>).forEach((d) => delete d.required)) },
  { key: 'depends_on.*.restart', strip: (m) => eachService(m, (s) => Object.values((s.depends_on ?? {}) as Record<string, Tree>).forEach((d) => delete d.restart)) },
  { key: 'ports[].host_ip', error: "ports contains unsupported option: 'host_ip'", strip: (m) => eachService(m, (s) => eachItem(s, 'ports', (p) => delete p.host_ip)) },
  { key: 'volumes[].bind.create_host_path', error: "volumes contains unsupported option: 'create_host_path'", strip: (m) => eachService(m, (s) => eachItem(s, 'volumes', (v) => delete (v.bind as Tree | undefined)?.create_host_path)) },
];

const STACK = `services:
  web:
    image: nginx:1.27
    ports: ["8080:80", "127.0.0.1:8443:443"]
    volumes: ["./html:/usr/share/nginx/html:ro", "cache:/cache"]
    depends_on:
      db: {condition: service_healthy}
    networks: [front, back]
  db:
    image: postgres:16
    healthcheck: {test: ["CMD-SHELL", "pg_isready"], interval: 5s}
    networks: [back]
volumes:
  cache: {}
networks:
  front: {}
  back: {}
`;

function composeV1(args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('docker-compose', [...args], { cwd, env: cleanEnv(), timeout: CLI_TIMEOUT }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

describe.skipIf(!hasComposeV1)('docker-compose 1.29 reading `gantry config` output', { timeout: CLI_TIMEOUT }, () => {
  beforeAll(assertBuilt);

  it('rejects only the keys newer than its schema, and loads the rest to the same services', async () => {
    const dir = writeFiles(tempDir(), { 'compose.yaml': STACK });
    await runCliOk(['config', '-o', 'gantry.yaml'], { cwd: dir });

    const asIs = await composeV1(['-f', 'gantry.yaml', 'config', '-q'], dir);
    expect(asIs.code).not.toBe(0);
    for (const { error } of V1_REJECTS) if (error !== undefined) expect(asIs.stderr).toContain(error);

    const model = parse(readFileSync(join(dir, 'gantry.yaml'), 'utf8')) as Tree;
    for (const { strip } of V1_REJECTS) strip(model);
    writeFileSync(join(dir, 'stripped.yaml'), stringify(model));
    const stripped = await composeV1(['-f', 'stripped.yaml', 'config', '--services'], dir);
    expect(stripped.stderr).toBe('');
    expect(stripped.stdout.split('\n').filter(Boolean).sort()).toEqual(['db', 'web']);
  });

  it('needs every listed key stripped: leaving any one in still fails', async () => {
    const dir = writeFiles(tempDir(), { 'compose.yaml': STACK });
    await runCliOk(['config', '-o', 'gantry.yaml'], { cwd: dir });
    const text = readFileSync(join(dir, 'gantry.yaml'), 'utf8');
    for (const kept of V1_REJECTS) {
      const model = parse(text) as Tree;
      for (const rule of V1_REJECTS) if (rule !== kept) rule.strip(model);
      writeFileSync(join(dir, 'partial.yaml'), stringify(model));
      const result = await composeV1(['-f', 'partial.yaml', 'config', '-q'], dir);
      expect(result.code, `docker-compose accepted the output with ${kept.key} left in`).not.toBe(0);
    }
  });
});
