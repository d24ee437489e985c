import { describe, expect, it } from 'vitest';
import * as ev from '../../src/events/events.js';
import { filterView, isBuildOutput, isPullProgress } from '../../src/ui/filtered-view.js';
import type { ProgressView } from '../../src/ui/view.js';

const EVENTS = [
  ev.pulling('busybox'), ev.pulling('busybox', 'a1b2: Downloading 40%'), ev.pulled('busybox'),
  ev.building('app'), ev.building('app', 'Step 1/2 : FROM busybox'), ev.buildLog('app', ' ---> Running in 1234'), ev.built('app', 'sha256:12'),
  ev.creating('container', 'demo-web-1'), ev.failed('image', 'other', 'not found'),
];

function render(omit: (event: ev.ProgressEvent) => boolean): { lines: string[]; finished: () => boolean } {
  const lines: string[] = [];
  let finished = false;
  const inner: ProgressView = { start: () => undefined, emit: (e) => void lines.push(`${e.id} ${e.text}${e.detail === undefined ? '' : ` ${e.detail}`}`), finish: async () => void (finished = true) };
  const view = filterView(inner, omit);
  for (const event of EVENTS) view.emit(event);
  void view.finish();
  return { lines, finished: () => finished };
}

describe('filterView', () => {
  it('--quiet-pull: keeps the start and end of a pull and everything else, not the per-layer progress', () => {
    const { lines, finished } = render(isPullProgress);
    expect(lines.filter((l) => l.startsWith('image:'))).toEqual(['image:busybox Pulling', 'image:busybox Pulled', 'image:other Error not found']);
    expect(lines).toHaveLength(EVENTS.length - 1);
    expect(finished()).toBe(true);
  });

  it('--quiet-build: keeps the start and end of a build, not its steps and output', () => {
    const { lines } = render(isBuildOutput);
    expect(lines.filter((l) => l.startsWith('service:'))).toEqual(['service:app Building', 'service:app Built sha256:12']);
    expect(lines).toHaveLength(EVENTS.length - 2);
  });
});
