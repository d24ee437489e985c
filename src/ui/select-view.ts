// Maps `--progress` and the terminal to a view, as compose's selectEventProcessor does; listr2 loads only for a TTY.
import { createJsonView } from './json-view.js';
import { createPlainView } from './plain-view.js';
import { createQuietView } from './quiet-view.js';
import type { ProgressView, ViewStream } from './view.js';

export type ProgressMode = 'auto' | 'tty' | 'plain' | 'json' | 'quiet';

export interface SelectViewOptions {
  readonly progress: ProgressMode;
  /** Where the view writes: process.stderr in practice (its `isTTY` is probed). */
  readonly stream: ViewStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface ViewChoice {
  readonly kind: Exclude<ProgressMode, 'auto'>;
  readonly color: boolean;
}

/** no-color.org: present and not empty. */
function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '';
}

/** CI=true, CI=1, CI=woodpecker… count; an empty CI, CI=false and CI=0 do not. */
function isCI(env: SelectViewOptions['env']): boolean {
  const ci = env['CI'];
  return isSet(ci) && ci !== 'false' && ci !== '0';
}

/** The pure decision behind selectView, separate so tests need no terminal. */
export function chooseView(options: SelectViewOptions): ViewChoice {
  const { progress, stream, env } = options;
  const terminal = stream.isTTY === true && env['TERM'] !== 'dumb';
  const color = terminal && !isSet(env['NO_COLOR']);
  if (progress !== 'auto') return { kind: progress, color };
  return { kind: terminal && !isCI(env) ? 'tty' : 'plain', color };
}

export async function selectView(options: SelectViewOptions): Promise<ProgressView> {
  const { kind, color } = chooseView(options);
  switch (kind) {
    case 'tty': {
      // Imported here so that plain, JSON and quiet runs never load listr2.
      const { createListrView } = await import('./listr-view.js');
      return createListrView(options.stream, { tty: true, color });
    }
    case 'plain':
      return createPlainView(options.stream, { color });
    case 'json':
      return createJsonView(options.stream);
    case 'quiet':
      return createQuietView();
  }
}
