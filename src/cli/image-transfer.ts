// What `pull` and `push` share: moving images to or from registries concurrently, one progress row
// per image whose detail follows its layers, and failures collected rather than thrown one by one.
import * as ev from '../events/events.js';
import type { EventSink, ProgressEvent } from '../events/events.js';
import type { PullProgress } from '../engine/engine.js';
import type { ProgressRow } from '../ui/view.js';

export type TransferKind = 'pull' | 'push';

export interface TransferInput {
  readonly kind: TransferKind;
  readonly refs: readonly string[];
  readonly sink: EventSink;
  readonly transfer: (ref: string, onProgress: (p: PullProgress) => void) => Promise<void>;
  /** Whether a failure of this image only warns (`--ignore-pull-failures`, buildable images). */
  readonly tolerate: (ref: string) => boolean;
}

export interface TransferFailure {
  readonly ref: string;
  readonly error: Error;
  readonly tolerated: boolean;
}

/** Moves every image at once; resolves with the failures (the events have shown them already). */
export async function transferImages(input: TransferInput): Promise<TransferFailure[]> {
  const results = await Promise.all(input.refs.map(async (ref): Promise<TransferFailure | undefined> => {
    const tracker = createLayerTracker();
    input.sink.emit(working(input.kind, ref));
    try {
      await input.transfer(ref, (progress) => {
        const detail = tracker.update(progress);
        if (detail !== undefined) input.sink.emit(working(input.kind, ref, detail));
      });
      input.sink.emit(input.kind === 'pull' ? ev.pulled(ref) : ev.pushed(ref, tracker.summary()));
      return undefined;
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      const tolerated = input.tolerate(ref);
      input.sink.emit(tolerated ? ev.warning('image', ref, 'Skipped', error.message) : ev.failed('image', ref, error.message));
      return { ref, error, tolerated };
    }
  }));
  return results.filter((r): r is TransferFailure => r !== undefined);
}

export function imageRows(refs: readonly string[]): ProgressRow[] {
  return refs.map((ref) => ({ id: `image:${ref}`, label: `Image ${ref}` }));
}

function working(kind: TransferKind, ref: string, detail?: string): ProgressEvent {
  return kind === 'pull' ? ev.pulling(ref, detail) : ev.pushing(ref, detail);
}

const DONE = new Set(['Pull complete', 'Already exists', 'Pushed', 'Layer already exists']);
/** A layer the registry already had: in this repository, or mounted from another one. */
const isThere = (status: string): boolean => status === 'Layer already exists' || status === 'Already exists' || status.startsWith('Mounted from ');
const isDone = (status: string): boolean => DONE.has(status) || isThere(status);

export interface LayerTracker {
  /** The detail to show for this progress message, or undefined when nothing worth a line changed. */
  update(progress: PullProgress): string | undefined;
  /** '2 layers pushed, 1 already there'. */
  summary(): string | undefined;
}

/**
 * Follows each layer's state. A new line is worth showing when a layer changes state, or its
 * transfer crosses another tenth; byte-by-byte updates would flood the plain view.
 */
export function createLayerTracker(): LayerTracker {
  const layers = new Map<string, { status: string; tenth: number }>();
  return {
    update(p) {
      if (p.status === '') return undefined;
      if (p.layer === undefined || !isLayerId(p.layer)) return p.layer === undefined ? p.status : `${p.layer}: ${p.status}`;
      const tenth = p.current !== undefined && p.total !== undefined && p.total > 0 ? Math.floor((10 * p.current) / p.total) : -1;
      const before = layers.get(p.layer);
      if (before !== undefined && before.status === p.status && before.tenth === tenth) return undefined;
      layers.set(p.layer, { status: p.status, tenth });
      const done = [...layers.values()].filter((l) => isDone(l.status)).length;
      const percent = tenth < 0 ? '' : ` ${tenth * 10}%`;
      return `${p.layer}: ${p.status}${percent} (${done}/${layers.size} layers done)`;
    },
    summary() {
      if (layers.size === 0) return undefined;
      const existing = [...layers.values()].filter((l) => isThere(l.status)).length;
      return `${layers.size} layers${existing > 0 ? `, ${existing} already there` : ''}`;
    },
  };
}

/** Layer ids are short hex digests; other ids ('1', a tag) belong to whole-image messages. */
function isLayerId(id: string): boolean {
  return /^[0-9a-f]{12}$/.test(id);
}
