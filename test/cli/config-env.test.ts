// Specification of what the environment changes in `gantry config`: the project name's precedence,
// interpolation from .env / --env-file with the shell winning, unset-variable warnings, profiles.
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, createTempDirs, CLI_TIMEOUT, runCli, runCliOk, writeFiles, type CliOptions } from '../support/cli.js';

beforeAll(assertBuilt);
const tempDir = createTempDirs();

type Model = { name: string; services: Record<string, { image?: string; environment?: Record<string, string> }> };

async function configJson(args: readonly string[], options: CliOptions): Promise<Model> {
  const { stdout } = await runCliOk([...args, 'config', '--format', 'json'], options);
  return JSON.parse(stdout) as Model;
}

describe.concurrent('the project name in `config` output', { timeout: CLI_TIMEOUT }, () => {
  const NAMED = 'name: from-file\nservices: {web: {image: nginx}}\n';
  const UNNAMED = 'services: {web: {image: nginx}}\n';

  it.each([
    ['-p wins over COMPOSE_PROJECT_NAME and name:', ['-p', 'from-flag'], { COMPOSE_PROJECT_NAME: 'from-env' }, NAMED, 'from-flag'],
    ['COMPOSE_PROJECT_NAME wins over name:', [], { COMPOSE_PROJECT_NAME: 'from-env' }, NAMED, 'from-env'],
    ['name: wins over the directory', [], {}, NAMED, 'from-file'],
    ['the directory name comes last, normalised', [], {}, UNNAMED, 'myshop_2'],
    ['an empty COMPOSE_PROJECT_NAME counts as unset', [], { COMPOSE_PROJECT_NAME: '' }, NAMED, 'from-file'],
  ] as const)('%s', async (_why, args, env, file, expected) => {
    const dir = writeFiles(tempDir(), { 'My.Shop_2/compose.yaml': file });
    const model = await configJson(args, { cwd: `${dir}/My.Shop_2`, env });
    expect(model.name).toBe(expected);
  });

  it('takes COMPOSE_PROJECT_NAME from the .env file as well', async () => {
    const dir = writeFiles(tempDir(), { 'compose.yaml': 'services: {web: {image: nginx}}\n', '.env': 'COMPOSE_PROJECT_NAME=from-dotenv\n' });
    expect((await configJson([], { cwd: dir })).name).toBe('from-dotenv');
  });

  it('refuses an invalid COMPOSE_PROJECT_NAME rather than changing it', async () => {
    const dir = writeFiles(tempDir(), { 'compose.yaml': 'services: {web: {image: nginx}}\n' });
    const { code, stderr } = await runCli(['config', '-q'], { cwd: dir, env: { COMPOSE_PROJECT_NAME: 'My App' } });
    expect(code).toBe(1);
    expect(stderr).toContain('invalid project name "My App"');
    expect(stderr).toContain('from COMPOSE_PROJECT_NAME');
  });
});

describe.concurrent('interpolation', { timeout: CLI_TIMEOUT }, () => {
  const FILE = 'services:\n  web:\n    image: "nginx:${TAG}"\n    environment:\n      MODE: "${MODE:-dev}"\n      GREETING: "${GREETING}"\n';

  it('reads values from the project\'s .env', async () => {
    const dir = writeFiles(tempDir(), { 'compose.yaml': FILE, '.env': 'TAG=1.27\nexport MODE="prod"\nGREETING=hi # a comment\n' });
    const model = await configJson([], { cwd: dir });
    expect(model.services.web).toMatchObject({ image: 'nginx:1.27', environment: { MODE: 'prod', GREETING: 'hi' } });
  });

  it('lets the shell environment win over .env', async () => {
    const dir = writeFiles(tempDir(), { 'compose.yaml': FILE, '.env': 'TAG=1.27\nMODE=prod\nGREETING=hi\n' });
    const model = await configJson([], { cwd: dir, env: { TAG: '1.28', MODE: '' } });
    expect(model.services.web).toMatchObject({ image: 'nginx:1.28', environment: { MODE: 'dev', GREETING: 'hi' } });
  });

  it('reads --env-file files in order, the later winning, instead of .env', async () => {
    const dir = writeFiles(tempDir(), {
      'compose.yaml': FILE,
      '.env': 'TAG=from-dotenv\n',
      'base.env': 'TAG=1.0\nGREETING=hello\n',
      'prod.env': 'TAG=2.0\nMODE=prod-${TAG}\n',
    });
    const model = await configJson(['--env-file', 'base.env', '--env-file', 'prod.env'], { cwd: dir });
    expect(model.services.web).toMatchObject({ image: 'nginx:2.0', environment: { MODE: 'prod-1.0', GREETING: 'hello' } });
  });

  it('warns once per unset variable, at file:line:col, and uses an empty string', async () => {
    const dir = writeFiles(tempDir(), { 'compose.yaml': FILE + '    labels:\n      greeting: "${GREETING}"\n', '.env': 'TAG=1\n' });
    const { stdout, stderr } = await runCliOk(['config', '--format', 'json'], { cwd: dir });
    const model = JSON.parse(stdout) as Model;
    expect(model.services.web?.environment?.GREETING).toBe('');
    const warnings = stderr.split('\n').filter((line) => line.includes('GREETING'));
    expect(warnings).toEqual([expect.stringMatching(/^WARN compose\.yaml:6:17 .*variable "GREETING" is not set; using an empty string/)]);
  });

  it('warns nothing when every variable is set', async () => {
    const dir = writeFiles(tempDir(), { 'compose.yaml': FILE, '.env': 'TAG=1\nGREETING=hi\n' });
    const { stderr } = await runCliOk(['config', '-q'], { cwd: dir });
    expect(stderr).toBe('');
  });
});

describe.concurrent('profiles', { timeout: CLI_TIMEOUT }, () => {
  const FILE = `services:
  web:
    image: nginx
  debug:
    image: busybox
    profiles: [debug]
  seed:
    image: busybox
    profiles: [tools, debug]
`;
  const services = async (args: readonly string[], env: Record<string, string> = {}): Promise<string> => {
    const dir = writeFiles(tempDir(), { 'compose.yaml': FILE });
    return (await runCliOk([...args], { cwd: dir, env })).stdout;
  };

  it('leaves profiled services out by default', async () => {
    expect(await services(['config', '--services'])).toBe('web\n');
  });

  it('enables a profile with --profile (repeatable)', async () => {
    expect(await services(['--profile', 'tools', 'config', '--services'])).toBe('web\nseed\n');
    expect(await services(['--profile', 'tools', '--profile', 'debug', 'config', '--services'])).toBe('web\ndebug\nseed\n');
  });

  it('enables profiles from COMPOSE_PROFILES (comma-separated), and --profile replaces it', async () => {
    expect(await services(['config', '--services'], { COMPOSE_PROFILES: 'debug' })).toBe('web\ndebug\nseed\n');
    expect(await services(['--profile', 'tools', 'config', '--services'], { COMPOSE_PROFILES: 'debug' })).toBe('web\nseed\n');
  });

  it('enables a profiled service named on the command line', async () => {
    const dir = writeFiles(tempDir(), { 'compose.yaml': FILE });
    const { stdout } = await runCliOk(['config', '--format', 'json', 'seed'], { cwd: dir });
    expect(Object.keys((JSON.parse(stdout) as Model).services)).toEqual(['seed']);
  });

  it('lists every profile with --profiles, enabled or not', async () => {
    expect(await services(['config', '--profiles'])).toBe('debug\ntools\n');
  });

  it('explains a dependency on a service its profiles disable', async () => {
    const dir = writeFiles(tempDir(), { 'compose.yaml': `${FILE}  app:\n    image: nginx\n    depends_on: [debug]\n` });
    const { code, stderr } = await runCli(['config', '-q'], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toContain('compose.yaml:12:18  services.app.depends_on.debug: service "app" depends on "debug", which is disabled by its profiles ["debug"]');
    expect(stderr).toContain('hint: enable the profile with --profile debug');
    expect((await runCli(['--profile', 'debug', 'config', '-q'], { cwd: dir })).code).toBe(0);
  });
});

describe.concurrent('compose settings in the project\'s .env', { timeout: CLI_TIMEOUT }, () => {
  const PROFILED = 'services:\n  web:\n    image: nginx\n  debug:\n    image: busybox\n    profiles: [debug]\n';

  it('takes COMPOSE_FILE (and COMPOSE_PATH_SEPARATOR) from .env; the shell\'s wins', async () => {
    const dir = writeFiles(tempDir(), {
      '.env': 'COMPOSE_PATH_SEPARATOR=,\nCOMPOSE_FILE=stack/base.yaml,stack/extra.yaml\n',
      'compose.yaml': 'services: {ignored: {image: nginx}}\n',
      'stack/base.yaml': 'services: {web: {image: nginx}}\n',
      'stack/extra.yaml': 'services: {web: {image: "nginx:${TAG:-1}"}}\n',
      'stack/.env': 'TAG=from-stack\n',
    });
    const model = await configJson([], { cwd: dir });
    expect(Object.keys(model.services)).toEqual(['web']);
    // The project directory follows the files, and its own .env adds what the first left unset.
    expect(model.name).toBe('stack');
    expect(model.services.web?.image).toBe('nginx:from-stack');
    expect(Object.keys((await configJson([], { cwd: dir, env: { COMPOSE_FILE: 'compose.yaml' } })).services)).toEqual(['ignored']);
  });

  it('takes COMPOSE_PROFILES from .env; the shell\'s and --profile win', async () => {
    const dir = writeFiles(tempDir(), { 'compose.yaml': PROFILED, '.env': 'COMPOSE_PROFILES=debug\n' });
    expect((await runCliOk(['config', '--services'], { cwd: dir })).stdout).toBe('web\ndebug\n');
    expect((await runCliOk(['config', '--services'], { cwd: dir, env: { COMPOSE_PROFILES: 'none' } })).stdout).toBe('web\n');
    expect((await runCliOk(['--profile', 'none', 'config', '--services'], { cwd: dir })).stdout).toBe('web\n');
  });

  it('reads none of them from .env when --env-file replaces it', async () => {
    const dir = writeFiles(tempDir(), {
      'compose.yaml': PROFILED,
      'other.yaml': 'services: {other: {image: nginx}}\n',
      '.env': 'COMPOSE_FILE=other.yaml\nCOMPOSE_PROFILES=debug\nCOMPOSE_PROJECT_NAME=from-dotenv\n',
      'ci.env': 'COMPOSE_PROJECT_NAME=from-ci\n',
    });
    const model = await configJson(['--env-file', 'ci.env'], { cwd: dir });
    expect(model.name).toBe('from-ci');
    expect(Object.keys(model.services)).toEqual(['web']);
  });
});
