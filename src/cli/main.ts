// Entry point: argv → command. The only place that formats errors and sets the exit code.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { GantryError, UsageError } from '../errors.js';
import { formatError } from '../ui/format-error.js';
import { registerCommands } from './commands.js';
import { acceptGlobalsAfterCommands, addGlobalOptions, mergeGlobals } from './global-flags.js';
import { keepWorkingWithoutStderr } from './closed-output.js';

export const VERSION = readVersion();

export async function main(argv: readonly string[]): Promise<void> {
  keepWorkingWithoutStderr();
  const program = createProgram();
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    process.exitCode = reportError(error, debug);
  }
}

export function createProgram(): Command {
  const program = new Command('gantry')
    .description('Run multi-container applications from compose files: the docker compose language, faster and clearer.')
    .version(`gantry version ${VERSION}`, '-v, --version', 'print the version')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text), outputError: () => undefined });
  addGlobalOptions(program);
  let active: Command | undefined;
  program.hook('preAction', (_root, actionCommand) => {
    active = actionCommand;
  });
  registerCommands(program, () => mergeGlobals(program.opts(), active?.opts() ?? {}));
  acceptGlobalsAfterCommands(program);
  return program;
}

/** Prints an error the way users should see it and returns the exit code. */
function reportError(error: unknown, debug: boolean): number {
  if (error instanceof CommanderError) {
    // --help and --version end through here with code 0; real usage errors say what went wrong.
    if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
    // `gantry` alone: commander has printed the usage to stderr; there is nothing more to say.
    if (error.code === 'commander.help') return error.exitCode;
    const message = error.message.replace(/^error: /, '');
    process.stderr.write(formatError(new UsageError(message, { hint: usageHint(message) }), { color: false, debug, cwd: process.cwd() }) + '\n');
    return 1;
  }
  const color = process.stderr.isTTY === true && !process.env.NO_COLOR;
  process.stderr.write(formatError(error, { color, debug, cwd: process.cwd() }) + '\n');
  return error instanceof GantryError ? error.exitCode : 1;
}

const GLOBAL_FLAGS = ['-f', '--file', '-p', '--project-name', '--project-directory', '--env-file', '--profile', '--progress', '--ansi', '--quiet-hints'];

/** Global flags go before the command, as in docker compose; say so when one comes after it. */
function usageHint(message: string): string {
  const flag = /unknown option '([^']+)'/.exec(message)?.[1]?.split('=')[0];
  if (flag !== undefined && GLOBAL_FLAGS.includes(flag)) return `${flag} is a global option: put it before the command, e.g. gantry ${flag} … up`;
  return 'run gantry --help for usage';
}

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
