// The commands that explain rather than act: `plan` (what `up` would do, and why) and `graph`
// (the dependency graph). Kept apart from commands.ts so the table there stays short.
import type { Command } from 'commander';
import { collect, type GlobalOptions } from './options.js';

type Globals = () => GlobalOptions;

export function registerInsightCommands(program: Command, globals: Globals): void {
  program
    .command('plan')
    .description('show what `up` would do, in order, with the reason for each step; change nothing')
    .argument('[services...]', 'only these services (and their dependencies)')
    .option('--format <format>', 'text or json', 'text')
    .option('--force-recreate', 'plan to recreate containers even if their configuration is unchanged')
    .option('--no-recreate', 'never recreate existing containers')
    .option('--no-deps', 'leave the services\' dependencies out')
    .option('--remove-orphans', 'also remove containers of services the file no longer defines')
    .option('--scale <service=n>', 'number of containers for a service (repeatable)', collect)
    .option('--pull <policy>', 'pull images: always, missing, never (default: each service\'s pull_policy)')
    .option('--build', 'plan to build images before starting containers, even those that exist')
    .option('--no-build', 'plan to build no images, even those that are missing')
    .action(async (services: string[], options) => {
      const { runPlan } = await import('./commands/plan.js');
      await runPlan(globals(), options, services);
    });

  program
    .command('graph')
    .description('draw the services, their dependencies, networks and volumes (Mermaid or Graphviz DOT)')
    .argument('[services...]', 'only these services (and what they depend on)')
    .option('--format <format>', 'mermaid or dot', 'mermaid')
    .option('--services-only', 'only services and their dependencies')
    .action(async (services: string[], options) => {
      const { runGraph } = await import('./commands/graph.js');
      await runGraph(globals(), options, services);
    });
}
