// The command table for day-to-day container work: exec, run, the lifecycle commands and the
// listings (top, port, images, ls). Each action imports its module lazily, as commands.ts does.
import { Option, type Command } from 'commander';
import type { ServiceAction } from './commands/lifecycle.js';
import { collect, type GlobalOptions } from './options.js';

type Globals = () => GlobalOptions;

export function registerSessionCommands(program: Command, globals: Globals): void {
  registerExecAndRun(program, globals);
  registerLifecycle(program, globals);
  registerListings(program, globals);
}

function registerExecAndRun(program: Command, globals: Globals): void {
  program
    .command('exec')
    .description('run a command in a running service container')
    .argument('<service>', 'the service')
    .argument('[command...]', 'the command and its arguments')
    .option('-d, --detach', 'run the command in the background')
    .option('--privileged', 'give the command extended privileges')
    .option('-u, --user <user>', 'run as this user (name or uid[:gid])')
    .option('-T, --no-TTY', 'do not allocate a TTY (default: one when stdin and stdout are terminals)')
    .option('-e, --env <KEY=VALUE>', 'set an environment variable (repeatable)', collect)
    .option('-w, --workdir <dir>', 'working directory inside the container')
    .option('--index <n>', 'the container number when the service has several (default: the first)')
    .passThroughOptions()
    .action(async (service: string, command: string[], options) => {
      const { runExec } = await import('./commands/exec.js');
      await runExec(globals(), options, service, command);
    });

  program
    .command('run')
    .description('run a one-off command in a new container of a service')
    .argument('<service>', 'the service')
    .argument('[command...]', 'the command and its arguments (default: the service\'s)')
    .option('--build', 'build the images before starting the container')
    .option('--cap-add <capability>', 'add a Linux capability (repeatable)', collect)
    .option('--cap-drop <capability>', 'drop a Linux capability (repeatable)', collect)
    .option('-d, --detach', 'run in the background and print the container id')
    .option('--entrypoint <entrypoint>', 'override the image\'s entrypoint')
    .option('-e, --env <KEY=VALUE>', 'set an environment variable (repeatable)', collect)
    .option('--env-from-file <file>', 'set environment variables from a file, in env_file format (repeatable)', collect)
    .option('-i, --interactive', 'keep stdin open even if not attached (the default)')
    .option('--no-interactive', 'do not keep stdin open (compose: --interactive=false)')
    .option('-l, --label <KEY=VALUE>', 'add or override a label (repeatable)', collect)
    .addOption(new Option('--labels <KEY=VALUE>').argParser(collect).hideHelp())
    .option('--name <name>', 'name the container')
    .option('-T, --no-TTY', 'do not allocate a TTY (default: one when stdin and stdout are terminals)')
    .addOption(new Option('-t, --tty', 'allocate a TTY even when not on a terminal').hideHelp())
    .option('--no-deps', 'do not start the service\'s dependencies')
    .option('-p, --publish <port>', 'publish a port, e.g. 127.0.0.1:8080:80 (repeatable)', collect)
    .option('--pull <policy>', 'pull the image before running: always, missing or never (default: the service\'s pull_policy)')
    .option('-q, --quiet', 'print no progress of Gantry\'s own (the command\'s output still shows)')
    .option('--quiet-build', 'build without showing the build\'s output')
    .option('--quiet-pull', 'pull without per-layer progress')
    .option('--remove-orphans', 'remove containers of services not in the file')
    .option('--rm', 'remove the container when it exits')
    .option('-P, --service-ports', 'publish the service\'s own ports')
    .option('--use-aliases', 'answer for the service\'s name and network aliases (default: no alias)')
    .option('-u, --user <user>', 'run as this user (name or uid[:gid])')
    .option('-v, --volume <volume>', 'mount a volume or bind a host path (repeatable)', collect)
    .addOption(new Option('--volumes <volume>').argParser(collect).hideHelp())
    .option('-w, --workdir <dir>', 'working directory inside the container')
    .passThroughOptions()
    .action(async (service: string, command: string[], options) => {
      const { runRun } = await import('./commands/run.js');
      await runRun(globals(), options, service, command);
    });
}

function registerLifecycle(program: Command, globals: Globals): void {
  const actions: readonly (readonly [ServiceAction, string])[] = [
    ['start', 'start the services\' existing containers'],
    ['stop', 'stop the services\' running containers (dependents first)'],
    ['restart', 'restart the services\' containers'],
    ['kill', 'send a signal (default SIGKILL) to the services\' running containers'],
    ['pause', 'pause the services\' running containers'],
    ['unpause', 'unpause the services\' paused containers'],
  ];
  for (const [action, description] of actions) {
    const command = program.command(action).description(description).argument('[services...]', 'only these services');
    if (action === 'stop' || action === 'restart') command.option('-t, --timeout <seconds>', 'grace period before the container is killed');
    if (action === 'kill') command.option('-s, --signal <signal>', 'the signal to send', 'SIGKILL');
    command.action(async (services: string[], options) => {
      const { runServiceAction } = await import('./commands/lifecycle.js');
      await runServiceAction(globals(), action, options, services);
    });
  }

  program
    .command('rm')
    .description('remove the services\' stopped containers')
    .argument('[services...]', 'only these services')
    .option('-f, --force', 'do not ask for confirmation')
    .option('-s, --stop', 'stop the containers first')
    .option('-v, --volumes', 'also remove the containers\' anonymous volumes')
    .action(async (services: string[], options) => {
      const { runRm } = await import('./commands/lifecycle.js');
      await runRm(globals(), options, services);
    });
}

function registerListings(program: Command, globals: Globals): void {
  program
    .command('top')
    .description('show the processes running in the project\'s containers')
    .argument('[services...]', 'only these services')
    .action(async (services: string[]) => {
      const { runTop } = await import('./commands/top.js');
      await runTop(globals(), services);
    });

  program
    .command('port')
    .description('print the host address a container port is published on')
    .argument('<service>', 'the service')
    .argument('<private_port>', 'the container port')
    .option('--protocol <protocol>', 'tcp, udp or sctp', 'tcp')
    .option('--index <n>', 'the container number when the service has several (default: the first)')
    .action(async (service: string, port: string, options) => {
      const { runPort } = await import('./commands/port.js');
      await runPort(globals(), options, service, port);
    });

  program
    .command('images')
    .description('list the images used by the project\'s containers')
    .argument('[services...]', 'only these services')
    .option('--format <format>', 'table or json', 'table')
    .option('-q, --quiet', 'only image ids')
    .action(async (services: string[], options) => {
      const { runImages } = await import('./commands/images.js');
      await runImages(globals(), options, services);
    });

  program
    .command('ls')
    .description('list the compose projects on this engine')
    .option('-a, --all', 'include projects whose containers are all stopped')
    .option('-q, --quiet', 'only project names')
    .option('--format <format>', 'table or json', 'table')
    .option('--filter <name=VALUE>', 'only projects whose name contains VALUE (repeatable)', collect)
    .action(async (options) => {
      const { runLs } = await import('./commands/ls.js');
      await runLs(options);
    });
}
