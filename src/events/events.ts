// Progress as events: the executor reports what it does; views (listr2, plain, JSON, quiet) render it.

export type EventStatus = 'working' | 'done' | 'warning' | 'error';

export interface ProgressEvent {
  /** Stable resource id: 'container:demo-web-1', 'network:demo_default', 'volume:demo_data', 'image:busybox'. */
  readonly id: string;
  /** Human label: 'Container demo-web-1', 'Network demo_default'. */
  readonly label: string;
  readonly status: EventStatus;
  /** What is happening: 'Creating', 'Created', 'Starting', 'Started', 'Waiting', 'Healthy', … */
  readonly text: string;
  /** More detail: pull progress, an error's reason, a skipped dependency. */
  readonly detail?: string;
  /**
   * A line of a log (build output) in `detail`: line-by-line views print it; views with one row
   * per resource keep the row's title (the current step) instead.
   */
  readonly log?: boolean;
}

/** Where work reports progress. Views implement it; `nullSink` ignores everything. */
export interface EventSink {
  emit(event: ProgressEvent): void;
}

export const nullSink: EventSink = { emit: () => undefined };

/** A sink that keeps every event, for tests and for summaries. */
export function createRecordingSink(): EventSink & { readonly events: ProgressEvent[] } {
  const events: ProgressEvent[] = [];
  return { events, emit: (event) => void events.push(event) };
}

/** Fans one stream of events out to several sinks. */
export function teeSink(...sinks: readonly EventSink[]): EventSink {
  return { emit: (event) => sinks.forEach((s) => s.emit(event)) };
}

type Kind = 'container' | 'network' | 'volume' | 'image' | 'service';

const kindLabel: Record<Kind, string> = { container: 'Container', network: 'Network', volume: 'Volume', image: 'Image', service: 'Service' };

function make(kind: Kind, name: string, status: EventStatus, text: string, detail?: string): ProgressEvent {
  return { id: `${kind}:${name}`, label: `${kindLabel[kind]} ${name}`, status, text, ...(detail === undefined ? {} : { detail }) };
}

// Named constructors keep the wording identical across views and commands (compose's words).
export const creating = (kind: Kind, name: string): ProgressEvent => make(kind, name, 'working', 'Creating');
export const created = (kind: Kind, name: string): ProgressEvent => make(kind, name, 'done', 'Created');
export const starting = (name: string): ProgressEvent => make('container', name, 'working', 'Starting');
export const started = (name: string): ProgressEvent => make('container', name, 'done', 'Started');
export const running = (name: string): ProgressEvent => make('container', name, 'done', 'Running');
export const recreating = (name: string): ProgressEvent => make('container', name, 'working', 'Recreating');
export const recreated = (name: string): ProgressEvent => make('container', name, 'done', 'Recreated');
export const waiting = (name: string, detail?: string): ProgressEvent => make('container', name, 'working', 'Waiting', detail);
export const healthy = (name: string): ProgressEvent => make('container', name, 'done', 'Healthy');
export const exited = (name: string, detail?: string): ProgressEvent => make('container', name, 'done', 'Exited', detail);
export const stopping = (name: string): ProgressEvent => make('container', name, 'working', 'Stopping');
export const stopped = (name: string): ProgressEvent => make('container', name, 'done', 'Stopped');
export const removing = (kind: Kind, name: string): ProgressEvent => make(kind, name, 'working', 'Removing');
export const removed = (kind: Kind, name: string): ProgressEvent => make(kind, name, 'done', 'Removed');
export const pulling = (name: string, detail?: string): ProgressEvent => make('image', name, 'working', 'Pulling', detail);
export const pulled = (name: string): ProgressEvent => make('image', name, 'done', 'Pulled');
export const skipped = (kind: Kind, name: string, reason: string): ProgressEvent => make(kind, name, 'warning', 'Skipped', reason);
export const failed = (kind: Kind, name: string, reason: string): ProgressEvent => make(kind, name, 'error', 'Error', reason);
export const warning = (kind: Kind, name: string, text: string, detail?: string): ProgressEvent => make(kind, name, 'warning', text, detail);
export const building = (service: string, detail?: string): ProgressEvent => make('service', service, 'working', 'Building', detail);
export const buildLog = (service: string, line: string): ProgressEvent => ({ ...make('service', service, 'working', 'Building', line), log: true });
export const built = (service: string, detail?: string): ProgressEvent => make('service', service, 'done', 'Built', detail);
export const pushing = (name: string, detail?: string): ProgressEvent => make('image', name, 'working', 'Pushing', detail);
export const pushed = (name: string, detail?: string): ProgressEvent => make('image', name, 'done', 'Pushed', detail);
