// Views that leave out part of the progress: `--quiet-pull` keeps each pull's start and end
// without its layer-by-layer progress, `--quiet-build` each build's start and end without its output.
import type { ProgressEvent } from '../events/events.js';
import type { ProgressView } from './view.js';

export function filterView(view: ProgressView, omit: (event: ProgressEvent) => boolean): ProgressView {
  return {
    start: (rows) => view.start(rows),
    emit: (event) => {
      if (!omit(event)) view.emit(event);
    },
    finish: () => view.finish(),
  };
}

/** The 'Pulling' events that carry a layer's status: the first one, without detail, stays. */
export function isPullProgress(event: ProgressEvent): boolean {
  return event.id.startsWith('image:') && event.status === 'working' && event.text === 'Pulling' && event.detail !== undefined;
}

/** The 'Building' events that carry a step or a line of output: the first one, without detail, stays. */
export function isBuildOutput(event: ProgressEvent): boolean {
  return event.id.startsWith('service:') && event.status === 'working' && event.text === 'Building' && event.detail !== undefined;
}
