// Global flags work before the command and, as compose's persistent flags do, after it — except
// where the command has a flag of its own with that letter (logs -f follows, down -v removes volumes).
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { createProgram } from '../../src/cli/main.js';
import { acceptGlobalsAfter, mergeGlobals } from '../../src/cli/global-flags.js';
import { assertBuilt, createTempDirs, CLI_TIMEOUT, runCliOk, writeFiles } from '../support/cli.js';

beforeAll(assertBuilt);
const tempDir = createTempDirs();

/** A subcommand as it is parsed: with the global flags added just before (a preSubcommand hook). */
function subcommand(name: string): Command {
  const found = createProgram().commands.find((c) => c.name() === name);
  if (!found) throw new Error(`no command ${name}`);
  acceptGlobalsAfter(found);
  return found;
}

describe('global flags after the command', { timeout: CLI_TIMEOUT }, () => {
  it('reads -p, --env-file and -f given after `config`', async () => {
    const dir = writeFiles(tempDir(), { 'other.yaml': 'services: {web: {image: "nginx:${TAG}"}}\n', 'vars.env': 'TAG=1.27\n' });
    const { stdout } = await runCliOk(['config', '-f', 'other.yaml', '-p', 'late-name', '--env-file', 'vars.env', '--format', 'json'], { cwd: dir });
    const model = JSON.parse(stdout) as { name: string; services: { web: { image: string } } };
    expect(model.name).toBe('late-name');
    expect(model.services.web.image).toBe('nginx:1.27');
  });

  it('adds up repeatable flags given on both sides of the command', () => {
    expect(mergeGlobals({ file: ['a.yaml'], progress: 'auto' }, { file: ['b.yaml'], progress: 'plain' })).toMatchObject({ file: ['a.yaml', 'b.yaml'], progress: 'plain' });
  });

  it('keeps a command\'s own letters: logs -f follows, down -v removes volumes, exec -w is a directory', () => {
    expect(subcommand('logs').options.find((o) => o.short === '-f')?.long).toBe('--follow');
    expect(subcommand('down').options.find((o) => o.short === '-v')?.long).toBe('--volumes');
    expect(subcommand('up').options.find((o) => o.long === '--file')?.short).toBe('-f');
    expect(subcommand('logs').options.some((o) => o.long === '--file')).toBe(false);
  });
});
