// `--quiet-pull`: a view that still shows each pull start and end, without its layer-by-layer progress.
import type { ProgressEvent } from '../events/events.js';
import type { ProgressView } from './view.js';

export function withoutPullProgress(view: ProgressView): ProgressView {
  return {
    start: (rows) => view.start(rows),
    emit: (event) => {
      if (!isPullProgress(event)) view.emit(event);
    },
    finish: () => view.finish(),
  };
}

/** The 'Pulling' events that carry a layer's status: the first one, without detail, stays. */
export function isPullProgress(event: ProgressEvent): boolean {
  return event.id.startsWith('image:') && event.status === 'working' && event.text === 'Pulling' && event.detail !== undefined;
}
