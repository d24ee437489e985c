// PURE: what an attached `up` shows and when it ends, from its flags, checked against the model:
// --attach / --no-attach, --abort-on-container-exit, --exit-code-from, log formatting.
import { UsageError } from '../errors.js';
import type { Project } from '../model/types.js';

export interface AttachFlagsInput {
  readonly detach?: boolean;
  readonly wait?: boolean;
  readonly attachServices?: readonly string[];
  readonly noAttach?: readonly string[];
  readonly abortOnContainerExit?: boolean;
  readonly exitCodeFrom?: string;
  readonly timestamps?: boolean;
  readonly logPrefix?: boolean;
}

export interface AttachSettings {
  /** Services whose logs are shown. */
  readonly attach: ReadonlySet<string>;
  /** Services whose exits count: the attached ones, and the --exit-code-from one. */
  readonly tracked: ReadonlySet<string>;
  /** Stop everything when a container exits. */
  readonly cascade: boolean;
  readonly exitCodeFrom?: string;
  /** Services others wait for with service_completed_successfully: their exit 0 is part of starting. */
  readonly completedDependencies: ReadonlySet<string>;
  readonly timestamps: boolean;
  readonly prefix: boolean;
  readonly color: boolean;
  /** `up -t`: grace period when stopping on Ctrl-C or abort. */
  readonly timeoutSeconds?: number;
}

/** Flags that only make sense attached are refused with -d or --wait (which implies -d). */
export function checkDetachedFlags(flags: AttachFlagsInput): void {
  if (flags.detach !== true && flags.wait !== true) return;
  const mode = flags.detach === true ? '-d' : '--wait';
  const attachedOnly: [boolean, string][] = [
    [flags.abortOnContainerExit === true, '--abort-on-container-exit'],
    [flags.exitCodeFrom !== undefined, '--exit-code-from'],
    [(flags.attachServices ?? []).length > 0, '--attach'],
  ];
  const conflict = attachedOnly.find(([given]) => given);
  if (conflict !== undefined) throw new UsageError(`${conflict[1]} and ${mode} cannot be used together`, { hint: `${conflict[1]} needs the logs of an attached up: drop ${mode}` });
}

/**
 * The settings of an attached up. Attached by default: the services named on the command line,
 * else all; `--attach` replaces that set and `--no-attach` removes from it.
 */
export function resolveAttachSettings(
  project: Project,
  services: readonly string[],
  flags: AttachFlagsInput,
  extra: { readonly color: boolean; readonly timeoutSeconds?: number },
): AttachSettings {
  const known = (flag: string, names: readonly string[]): void => {
    const unknown = names.filter((name) => !(name in project.services));
    if (unknown.length > 0) throw new UsageError(`${flag}: no such service: ${unknown.join(', ')}`, { hint: `services in this project: ${Object.keys(project.services).join(', ')}` });
  };
  known('--attach', flags.attachServices ?? []);
  known('--no-attach', flags.noAttach ?? []);
  if (flags.exitCodeFrom !== undefined) known('--exit-code-from', [flags.exitCodeFrom]);
  const base = flags.attachServices?.length ? flags.attachServices : services.length > 0 ? services : Object.keys(project.services);
  const attach = new Set(base.filter((s) => !(flags.noAttach ?? []).includes(s)));
  const tracked = new Set(attach);
  if (flags.exitCodeFrom !== undefined) tracked.add(flags.exitCodeFrom);
  const completedDependencies = new Set(
    Object.values(project.services).flatMap((s) => s.dependsOn.filter((d) => d.condition === 'service_completed_successfully').map((d) => d.service)),
  );
  return {
    attach,
    tracked,
    cascade: flags.abortOnContainerExit === true || flags.exitCodeFrom !== undefined,
    ...(flags.exitCodeFrom === undefined ? {} : { exitCodeFrom: flags.exitCodeFrom }),
    completedDependencies,
    timestamps: flags.timestamps === true,
    prefix: flags.logPrefix !== false,
    color: extra.color,
    ...(extra.timeoutSeconds === undefined ? {} : { timeoutSeconds: extra.timeoutSeconds }),
  };
}

/** `--wait-timeout SECONDS` in milliseconds; undefined without one. */
export function parseWaitTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw new UsageError(`invalid --wait-timeout "${value}"`, { hint: 'give seconds, e.g. --wait-timeout 60' });
  return Number(value) * 1000;
}
