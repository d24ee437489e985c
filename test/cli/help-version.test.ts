// Specification of the ways to ask gantry about itself: help (to stdout, exit 0) and the version.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI_TIMEOUT, REPO_ROOT, runCli } from '../support/cli.js';

const { version } = JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };

beforeAll(assertBuilt);

describe.concurrent('gantry --help', { timeout: CLI_TIMEOUT }, () => {
  it('lists the commands and the global options on stdout, and exits 0', async () => {
    const { code, stdout, stderr } = await runCli(['--help']);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^Usage: gantry \[options\] \[command\]/);
    for (const command of ['config', 'up', 'down', 'ps', 'version', 'help']) expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    for (const flag of ['-f, --file <file>', '-p, --project-name <name>', '--project-directory <dir>', '--env-file <file>', '--profile <name>']) expect(stdout).toContain(flag);
    expect(stderr).toBe('');
  });

  it('`gantry help config` shows the config command\'s own options', async () => {
    const { code, stdout } = await runCli(['help', 'config']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: gantry config \[options\] \[services\.\.\.\]/);
    for (const flag of ['--format <format>', '-q, --quiet', '--services', '--volumes', '--networks', '--images', '--profiles', '-o, --output <file>']) expect(stdout).toContain(flag);
  });

  it('`gantry config --help` says the same as `gantry help config`', async () => {
    const [viaHelp, viaFlag] = await Promise.all([runCli(['help', 'config']), runCli(['config', '--help'])]);
    expect(viaFlag.code).toBe(0);
    expect(viaFlag.stdout).toBe(viaHelp.stdout);
  });

  it('`gantry` alone prints the usage to stderr and exits 1, without a spurious error line', async () => {
    const { code, stdout, stderr } = await runCli([]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Usage: gantry/);
    expect(stderr).not.toContain('error:');
  });
});

describe.concurrent('the version', { timeout: CLI_TIMEOUT }, () => {
  it.each([[['--version']], [['-v']], [['version']]])('gantry %j prints "gantry version X" from package.json', async (args) => {
    const { code, stdout, stderr } = await runCli(args);
    expect(code, stderr).toBe(0);
    expect(stdout).toBe(`gantry version ${version}\n`);
  });

  it('`gantry version --short` prints only the number', async () => {
    const { stdout } = await runCli(['version', '--short']);
    expect(stdout).toBe(`${version}\n`);
  });

  it('needs no compose file, even in a directory whose compose file is broken', async () => {
    const { code, stdout } = await runCli(['--version'], { cwd: resolve(REPO_ROOT, 'test/fixtures/bad-input/18-yaml-unclosed-quote') });
    expect(code).toBe(0);
    expect(stdout).toBe(`gantry version ${version}\n`);
  });
});
