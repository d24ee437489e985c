// The `logs` command's flags, with a lazy import of the module that runs it.
import type { Command } from 'commander';
import type { GlobalOptions } from './options.js';

export function registerLogCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('logs')
    .description('show the output of the project\'s containers')
    .argument('[services...]', 'only these services')
    .option('-f, --follow', 'keep printing new output (also of containers started or recreated later) until Ctrl-C')
    .option('-n, --tail <lines>', 'only the last N lines of each container, or "all"', 'all')
    .option('--since <time>', 'only output since a time: RFC 3339 date, Unix timestamp, or relative like 42m')
    .option('--until <time>', 'only output before a time: RFC 3339 date, Unix timestamp, or relative like 42m')
    .option('-t, --timestamps', 'show timestamps')
    .option('--no-log-prefix', 'do not prefix lines with the container name')
    .option('--no-color', 'monochrome output')
    .option('--index <n>', 'only this container of each service (when it has replicas)')
    .action(async (services: string[], options) => {
      const { runLogs } = await import('./commands/logs.js');
      await runLogs(globals(), options, services);
    });
}
