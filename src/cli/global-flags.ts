// Global flags (-f, -p, --env-file, --progress …) are accepted before the command and, as docker
// compose's persistent flags are, after it too, unless the command has a flag of its own with
// the same letter or name (`logs -f` follows, `down -v` removes volumes).
import { Option, type Command } from 'commander';
import { collect, PROGRESS_MODES, type GlobalOptions } from './options.js';

/** Fresh Option objects each call: commander keeps per-command state in them. */
function globalOptions(withDefaults: boolean): Option[] {
  const progress = new Option('--progress <mode>', 'progress output').choices(PROGRESS_MODES);
  const ansi = new Option('--ansi <when>', 'colour output').choices(['auto', 'never', 'always']);
  return [
    new Option('-f, --file <file>', 'compose file (repeatable; - for standard input)').argParser(collect),
    new Option('-p, --project-name <name>', 'project name'),
    new Option('--project-directory <dir>', "project directory (default: the first file's directory)"),
    new Option('--env-file <file>', 'interpolation variables file (repeatable)').argParser(collect),
    new Option('--profile <name>', 'enable a profile (repeatable)').argParser(collect),
    withDefaults ? progress.default('auto') : progress,
    withDefaults ? ansi.default('auto') : ansi,
    new Option('--debug', 'show stack traces for internal errors'),
    new Option('--quiet-hints', 'do not print hints about likely mistakes (or set GANTRY_HINTS=0)'),
  ];
}

const GLOBAL_KEYS = globalOptions(false).map((o) => o.attributeName());

export function addGlobalOptions(program: Command): void {
  for (const option of globalOptions(true)) program.addOption(option);
}

/**
 * Lets every subcommand take the global flags too, hidden from its help. Added to the one command
 * being run, just before commander parses its arguments: for all ~30 commands up front, this was a
 * noticeable part of every command's start-up.
 */
export function acceptGlobalsAfterCommands(program: Command): void {
  program.hook('preSubcommand', (_program, command) => acceptGlobalsAfter(command));
}

/** The global flags one subcommand takes after its name: those that clash with none of its own. */
export function acceptGlobalsAfter(command: Command): void {
  for (const option of globalOptions(false)) {
    const clash = command.options.some((own) => (option.short !== undefined && own.short === option.short) || own.long === option.long || own.attributeName() === option.attributeName());
    if (!clash) command.addOption(option.hideHelp());
  }
}

/** Program flags, then the same flags given after the command (lists add up, others override). */
export function mergeGlobals(before: Record<string, unknown>, after: Record<string, unknown>): GlobalOptions {
  const merged: Record<string, unknown> = { ...before };
  for (const key of GLOBAL_KEYS) {
    const value = after[key];
    if (value === undefined) continue;
    const earlier = merged[key];
    merged[key] = Array.isArray(value) && Array.isArray(earlier) ? [...earlier, ...value] : value;
  }
  merged.debug = merged.debug === true;
  return merged as unknown as GlobalOptions;
}
