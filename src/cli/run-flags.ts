// `gantry run`'s flags as commander hands them over, checked and resolved once into the settings
// the run needs, with compose's rules: which flags conflict, the TTY default, the --pull values.
import { UsageError } from '../errors.js';
import type { BuildMode } from '../plan/plan-build.js';
import type { PullMode } from '../plan/plan.js';
import { isTruthy, parsePull } from './options.js';

export interface RunOptions {
  readonly detach?: boolean;
  readonly rm?: boolean;
  readonly name?: string;
  readonly entrypoint?: string;
  readonly env?: readonly string[];
  readonly label?: readonly string[];
  readonly volume?: readonly string[];
  readonly publish?: readonly string[];
  readonly servicePorts?: boolean;
  /** false with --no-deps. */
  readonly deps?: boolean;
  /** false with -T / --no-TTY. */
  readonly TTY?: boolean;
  /** `-t` / `--tty` (hidden, as in compose): a TTY even when this is not a terminal, so `run -it` works. */
  readonly tty?: boolean;
  /** false with --no-interactive (compose spells it `--interactive=false`); stdin stays open by default. */
  readonly interactive?: boolean;
  readonly user?: string;
  readonly workdir?: string;
  readonly capAdd?: readonly string[];
  readonly capDrop?: readonly string[];
  readonly useAliases?: boolean;
  /** `--pull always|missing|never` (or `policy`, the default: each service's pull_policy). */
  readonly pull?: string;
  readonly build?: boolean;
  readonly quiet?: boolean;
  readonly quietPull?: boolean;
  readonly quietBuild?: boolean;
  readonly removeOrphans?: boolean;
  readonly envFromFile?: readonly string[];
  /** `--labels` and `--volumes`: the spellings compose also accepts for -l and -v. */
  readonly labels?: readonly string[];
  readonly volumes?: readonly string[];
}

export interface RunSettings {
  readonly detach: boolean;
  readonly tty: boolean;
  readonly interactive: boolean;
  readonly pull: PullMode;
  readonly build: BuildMode;
  readonly removeOrphans: boolean;
  /** `-q`: no progress of Gantry's own; the command's output still streams. */
  readonly quiet: boolean;
  readonly quietPull: boolean;
  readonly quietBuild: boolean;
  readonly useAliases: boolean;
  /** -l and --labels together. */
  readonly labels: readonly string[];
  /** -v and --volumes together. */
  readonly volumes: readonly string[];
  readonly capAdd: readonly string[];
  readonly capDrop: readonly string[];
}

export interface RunEnvironment {
  /** Whether stdin and stdout are both terminals. */
  readonly isTerminal: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function resolveRunFlags(options: RunOptions, environment: RunEnvironment): RunSettings {
  if (options.servicePorts === true && (options.publish ?? []).length > 0) {
    throw new UsageError('--service-ports and --publish are incompatible', { hint: 'publish the service\'s ports with -P, or pick ports with -p, not both' });
  }
  if (options.tty === true && options.TTY === false) throw new UsageError('--tty and --no-TTY cannot be used together');
  const detach = options.detach === true;
  return {
    detach,
    // No TTY for a detached one-off: nothing attaches to it.
    tty: !detach && options.TTY !== false && (options.tty === true || environment.isTerminal),
    interactive: !detach && options.interactive !== false,
    pull: parsePull(options.pull),
    build: options.build === true ? 'always' : 'missing',
    removeOrphans: options.removeOrphans === true || isTruthy(environment.env.COMPOSE_REMOVE_ORPHANS),
    quiet: options.quiet === true,
    quietPull: options.quietPull === true,
    quietBuild: options.quietBuild === true,
    useAliases: options.useAliases === true,
    labels: [...(options.label ?? []), ...(options.labels ?? [])],
    volumes: [...(options.volume ?? []), ...(options.volumes ?? [])],
    capAdd: checkCapabilities('--cap-add', options.capAdd ?? []),
    capDrop: checkCapabilities('--cap-drop', options.capDrop ?? []),
  };
}

/** Names only: the engine knows which capabilities exist, but an empty or spaced one is a typo here. */
function checkCapabilities(flag: string, values: readonly string[]): string[] {
  for (const value of values) {
    if (!/^[A-Za-z_]+$/.test(value)) throw new UsageError(`invalid ${flag} "${value}": expected a capability name such as NET_ADMIN or ALL`);
  }
  return [...values];
}
