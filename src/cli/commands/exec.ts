// `gantry exec SERVICE CMD…`: runs a command in a service's running container and exits with
// the command's exit code; a TTY when both ends are terminals (unless -T), else plain streams.
import { UsageError } from '../../errors.js';
import type { GlobalOptions } from '../options.js';
import { findServiceContainer } from '../service-containers.js';
import { isTerminal, openLocalSession, resolveEnvFlags } from '../terminal.js';

export interface ExecOptions {
  readonly detach?: boolean;
  readonly privileged?: boolean;
  readonly user?: string;
  /** false with -T / --no-TTY. */
  readonly TTY?: boolean;
  readonly env?: readonly string[];
  readonly workdir?: string;
  readonly index?: string;
}

export async function runExec(global: GlobalOptions, options: ExecOptions, service: string, command: readonly string[]): Promise<void> {
  if (command.length === 0) throw new UsageError('exec needs a command to run', { hint: `e.g. gantry exec ${service} sh` });
  const { engine, container } = await findServiceContainer(global, service, options.index);
  const detach = options.detach === true;
  const tty = !detach && options.TTY !== false && isTerminal();
  const session = openLocalSession({ tty, interactive: !detach });
  try {
    const code = await engine.execInContainer(container.id, {
      command,
      env: resolveEnvFlags(options.env ?? [], process.env),
      ...(options.workdir === undefined ? {} : { workingDir: options.workdir }),
      ...(options.user === undefined ? {} : { user: options.user }),
      privileged: options.privileged === true,
      tty,
      interactive: !detach,
      detach,
    }, session.streams);
    process.exitCode = code;
  } finally {
    session.restore();
  }
}
