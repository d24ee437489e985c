// The JSON progress view: one object per event per line, for machines (like compose's `--progress json`).
import type { ProgressEvent } from '../events/events.js';
import type { ProgressView } from './view.js';

export interface JsonViewOptions {
  /**
   * The clock that stamps each line; tests pass a fixed one.
   * @default () => new Date()
   */
  readonly now?: () => Date;
}

/** One event as its JSON line: id, label, status, text, detail (when there is one), time. */
export function formatJsonLine(event: ProgressEvent, time: Date): string {
  // Keys are listed explicitly so the field order is stable whatever shape the event object has.
  return JSON.stringify({
    id: event.id,
    label: event.label,
    status: event.status,
    text: event.text,
    detail: event.detail,
    time: time.toISOString(),
  });
}

export function createJsonView(out: NodeJS.WritableStream, options: JsonViewOptions = {}): ProgressView {
  const now = options.now ?? (() => new Date());
  return {
    // Rows carry no information a machine needs before their first event.
    start: () => undefined,
    emit(event) {
      out.write(`${formatJsonLine(event, now())}\n`);
    },
    finish: () => Promise.resolve(),
  };
}
