// The plain progress view: one line per event, aligned like `docker compose --progress plain`, for logs and CI.
import type { EventStatus, ProgressEvent } from '../events/events.js';
import type { ProgressView, ProgressRow } from './view.js';

export interface PlainViewOptions {
  /**
   * Colour the status text (green done, red error, yellow warning) and dim the detail.
   * @default false
   */
  readonly color?: boolean;
}

/** Colours by meaning; every function is the identity when colours are off. */
export interface Palette {
  readonly status: (status: EventStatus, text: string) => string;
  readonly dim: (text: string) => string;
}

const sgr = (open: number, close: number) => (text: string): string => `\u001b[${open}m${text}\u001b[${close}m`;
const statusColor: Record<EventStatus, (text: string) => string> = {
  working: (text) => text,
  done: sgr(32, 39),
  warning: sgr(33, 39),
  error: sgr(31, 39),
};

/** ANSI colours without a dependency: a view decides once, from its options, whether to use them. */
export function createPalette(enabled: boolean): Palette {
  if (!enabled) return { status: (_status, text) => text, dim: (text) => text };
  return { status: (status, text) => statusColor[status](text), dim: sgr(2, 22) };
}

/** ` Container demo-web-1  Started  detail`: the label padded to `width`, then the text and any detail. */
export function formatPlainLine(event: ProgressEvent, width: number, palette: Palette = createPalette(false)): string {
  const detail = event.detail === undefined || event.detail === '' ? '' : `  ${palette.dim(event.detail)}`;
  return ` ${event.label.padEnd(width)}  ${palette.status(event.status, event.text)}${detail}`;
}

/** The longest label among the rows: the column every plain line aligns its text to. */
export function labelWidth(rows: readonly ProgressRow[]): number {
  return rows.reduce((width, row) => Math.max(width, row.label.length), 0);
}

export function createPlainView(out: NodeJS.WritableStream, options: PlainViewOptions = {}): ProgressView {
  const palette = createPalette(options.color === true);
  let width = 0;
  return {
    start(rows) {
      width = Math.max(width, labelWidth(rows));
    },
    emit(event) {
      out.write(`${formatPlainLine(event, width, palette)}\n`);
    },
    // Each line is written as its event arrives, so there is nothing left to settle.
    finish: () => Promise.resolve(),
  };
}
