// The image commands' flags (build, pull, push), with lazy imports of the modules that run them.
import type { Command } from 'commander';
import { collect, type GlobalOptions } from './options.js';

export function registerImageCommands(program: Command, globals: () => GlobalOptions): void {
  program
    .command('build')
    .description('build the images of services that have a build section')
    .argument('[services...]', 'only these services')
    .option('--no-cache', 'do not use the build cache')
    .option('--pull', 'always pull newer versions of the base images')
    .option('--build-arg <key=value>', 'set a build argument (repeatable; KEY alone takes it from the environment)', collect)
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (services: string[], options) => {
      const { runBuild } = await import('./commands/build.js');
      await runBuild(globals(), options, services);
    });

  program
    .command('pull')
    .description('pull the images of the project\'s services')
    .argument('[services...]', 'only these services')
    .option('--ignore-pull-failures', 'pull what can be pulled and only warn about the rest')
    .option('--ignore-buildable', 'skip images of services that have a build section')
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (services: string[], options) => {
      const { runPull } = await import('./commands/pull.js');
      await runPull(globals(), options, services);
    });

  program
    .command('push')
    .description('push the images of services that have a build section to their registries')
    .argument('[services...]', 'only these services')
    .option('--ignore-push-failures', 'push what can be pushed and only warn about the rest')
    .option('-q, --quiet', 'print nothing but errors')
    .action(async (services: string[], options) => {
      const { runPush } = await import('./commands/push.js');
      await runPush(globals(), options, services);
    });
}
