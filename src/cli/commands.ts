// The command table: each command's flags, and a lazy import of the module that runs it, so that
// `gantry config` and `--version` never load dockerode or listr2.
import type { Command } from 'commander';
import { addAttachFlags, attachFlagsOf } from './attach-flags.js';
import { registerImageCommands } from './commands-images.js';
import { registerInsightCommands } from './commands-insight.js';
import { registerLogCommands } from './commands-logs.js';
import { registerSessionCommands } from './commands-sessions.js';
import { collect, type GlobalOptions } from './options.js';

type Globals = () => GlobalOptions;

export function registerCommands(program: Command, globals: Globals): void {
  registerSessionCommands(program, globals);
  registerInsightCommands(program, globals);
  registerLogCommands(program, globals);
  registerImageCommands(program, globals);
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
    .option('--explain', 'for each service, network, volume, secret and config: where every value came from (file:line, override, extends, include, variables)')
    .action(async (services: string[], options) => {
      const { runConfig } = await import('./commands/config.js');
      await runConfig(globals(), options, services);
    });

  addAttachFlags(program.command('up'))
    .description('create and start the project\'s containers, networks and volumes')
    .argument('[services...]', 'only these services (and their dependencies)')
    .option('-d, --detach', 'return once everything is started')
    .option('--dry-run', 'print the plan and change nothing')
    .option('--force-recreate', 'recreate containers even if their configuration is unchanged')
    .option('--no-recreate', 'never recreate existing containers')
    .option('-V, --renew-anon-volumes', 'give recreated containers new anonymous volumes instead of their predecessors\'')
    .option('--no-deps', 'do not start the services\' dependencies')
    .option('--remove-orphans', 'remove containers of services the file no longer defines')
    .option('--scale <service=n>', 'number of containers for a service (repeatable)', collect)
    .option('--pull <policy>', 'pull images: always, missing, never (default: each service\'s pull_policy)')
    .option('--build', 'build images before starting containers, even those that exist')
    .option('--no-build', 'do not build images, even those that are missing')
    .option('-t, --timeout <seconds>', 'grace period when stopping containers (to recreate them, or on Ctrl-C when attached)')
    .option('--wait', 'wait until services are running, and healthy where they have a healthcheck (implies -d)')
    .option('--wait-timeout <seconds>', 'with --wait: give up after this long')
    .option('--abort-on-container-exit', 'stop all containers when any one exits')
    .option('--exit-code-from <service>', 'exit with this service\'s exit code (implies --abort-on-container-exit)')
    .option('--no-color', 'monochrome log output')
    .option('--no-log-prefix', 'do not prefix log lines with the container name')
    .option('--timestamps', 'show timestamps in log lines')
    .action(async (services: string[], options, command: Command) => {
      const { runUp } = await import('./commands/up.js');
      await runUp(globals(), { ...options, ...attachFlagsOf(command) }, services);
    });

  program
    .command('down')
    .description('stop and remove the project\'s containers and networks (volumes with -v)')
    .argument('[services...]', 'only these services\' containers')
    .option('-v, --volumes', 'also remove named volumes and anonymous volumes')
    .option('--remove-orphans', 'also remove containers of services the file no longer defines')
    .option('--rmi <type>', 'remove images: local (built ones) or all')
    .option('-t, --timeout <seconds>', 'grace period before containers are killed')
    .option('--dry-run', 'print what would be removed and change nothing')
    .option('--format <format>', 'with --dry-run: text or json')
    .action(async (services: string[], options) => {
      const { runDown } = await import('./commands/down.js');
      await runDown(globals(), options, services);
    });

  program
    .command('ps')
    .description('list the project\'s containers')
    .argument('[services...]', 'only these services')
    .option('-a, --all', 'include stopped containers')
    .option('-q, --quiet', 'only container ids')
    .option('--services', 'only service names')
    .option('--status <status>', 'filter by state (repeatable): running, exited, created, paused, restarting, removing, dead', collect)
    .option('--format <format>', 'table or json', 'table')
    .action(async (services: string[], options) => {
      const { runPs } = await import('./commands/ps.js');
      await runPs(globals(), options, services);
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
