// Container log lines as `docker compose` prints them: `web-1  | line`, the prefix padded to the
// longest name seen and coloured per service on a terminal (compose's rainbow order), plus status
// lines such as `web-1 exited with code 0`. Lines go to stdout, or stderr for the container's
// stderr; the printer can hold them back while a progress display still owns the terminal.
import type { ViewStream } from './view.js';

/** compose's rainbow: cyan, yellow, green, magenta, blue, then the same, intense. */
const RAINBOW = ['36', '33', '32', '35', '34', '36;1', '33;1', '32;1', '35;1', '34;1'] as const;

export interface LogFormatOptions {
  /** ANSI colours for prefixes and status lines. */
  readonly color: boolean;
  /** `name  | ` before each line. @default true */
  readonly prefix?: boolean;
}

export interface LogFormatter {
  /** Makes a name known, so prefixes align from the first line (and colours follow this order). */
  register(name: string, service: string): void;
  /** One log line with its prefix, without a newline. */
  formatLine(name: string, service: string, line: string): string;
  /** A status line: `web-1 exited with code 0`, coloured like the container's prefix. */
  formatStatus(name: string, service: string, text: string): string;
}

export function createLogFormatter(options: LogFormatOptions): LogFormatter {
  const colours = new Map<string, string>();
  let width = 0;
  const paint = (service: string, text: string): string => {
    if (!options.color) return text;
    let code = colours.get(service);
    if (code === undefined) {
      code = RAINBOW[colours.size % RAINBOW.length] ?? '36';
      colours.set(service, code);
    }
    return `\u001b[${code}m${text}\u001b[0m`;
  };
  const register = (name: string, service: string): void => {
    width = Math.max(width, name.length + 1);
    paint(service, '');
  };
  return {
    register,
    formatLine(name, service, line) {
      if (options.prefix === false) return line;
      register(name, service);
      return `${paint(service, `${name.padEnd(width)} | `)}${line}`;
    },
    formatStatus(name, service, text) {
      register(name, service);
      return paint(service, `${name} ${text}`);
    },
  };
}

/**
 * The name compose shows for a container: `<service>-<n>` when it has the default name
 * `<project>-<service>-<n>`, else its own `container_name`.
 */
export function displayName(project: string, container: { readonly name: string; readonly service: string }): string {
  const prefix = `${project}-${container.service}-`;
  return container.name.startsWith(prefix) && /^\d+$/.test(container.name.slice(prefix.length)) ? container.name.slice(project.length + 1) : container.name;
}

export interface LogPrinterOptions {
  readonly stdout: ViewStream;
  readonly stderr: ViewStream;
  /** Start holding lines back (until release()). @default false */
  readonly held?: boolean;
}

export interface LogPrinter {
  /** Writes a line (a newline is added) to stdout or stderr, or keeps it while held. */
  write(stream: 'stdout' | 'stderr', text: string): void;
  /** Writes everything held, in order, and writes directly from now on. */
  release(): void;
  /** Drops lines from now on (compose stops printing logs while it stops the containers). */
  mute(): void;
}

export function createLogPrinter(options: LogPrinterOptions): LogPrinter {
  let held: { stream: 'stdout' | 'stderr'; text: string }[] | undefined = options.held === true ? [] : undefined;
  let muted = false;
  const out = (stream: 'stdout' | 'stderr', text: string): void => {
    (stream === 'stderr' ? options.stderr : options.stdout).write(`${text}\n`);
  };
  return {
    write(stream, text) {
      if (muted) return;
      if (held !== undefined) held.push({ stream, text });
      else out(stream, text);
    },
    release() {
      const lines = held ?? [];
      held = undefined;
      for (const line of lines) out(line.stream, line.text);
    },
    mute() {
      muted = true;
      if (held !== undefined) held = [];
    },
  };
}
