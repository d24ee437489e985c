// The one shape every progress display has, so commands can emit events without knowing which view renders them.
import type { EventSink } from '../events/events.js';

/** A row the view knows before work starts: one per plan resource. */
export interface ProgressRow {
  /** The event id the row follows: 'container:demo-web-1'. */
  readonly id: string;
  /** What the row is called on screen: 'Container demo-web-1'. */
  readonly label: string;
}

/** A progress display: it receives events and renders them to stderr (stdout stays for data). */
export interface ProgressView extends EventSink {
  /** Rows known before work starts (one per plan resource). */
  start(rows: readonly ProgressRow[]): void;
  /** Settle the display; resolves when fully rendered. */
  finish(): Promise<void>;
}

/** Where views write: a stream, plus what a terminal stream also tells us. */
export type ViewStream = NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
