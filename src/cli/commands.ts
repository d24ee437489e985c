// The command table: each command's flags, and a lazy import of the module that runs it, so that
// `gantry config` and `--version` never load dockerode or listr2.
import type { Command } from 'commander';
import type { GlobalOptions } from './options.js';

type Globals = () => GlobalOptions;

export function registerCommands(program: Command, globals: Globals): void {
  program
    .command('config')
    .description('validate and print the resolved compose model')
    .argument('[services...]', 'only these services')
    .option('--format <format>', 'yaml or json', 'yaml')
    .option('-q, --quiet', 'only validate; print nothing on success')
    .option('--services', 'print the service names, one per line')
    .option('--volumes', 'print the volume names, one per line')
    .option('--networks', 'print the network names, one per line')
    .option('--images', 'print the image names, one per line')
    .option('--profiles', 'print the profile names, one per line')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (services: string[], options) => {
      const { runConfig } = await import('./commands/config.js');
      await runConfig(globals(), options, services);
    });

  program
    .command('version')
    .description('print the version')
    .option('--short', 'only the number')
    .action(async (options: { short?: boolean }) => {
      const { VERSION } = await import('./main.js');
      process.stdout.write(options.short ? `${VERSION}\n` : `gantry version ${VERSION}\n`);
    });
}
