import { describe, expect, it } from 'vitest';
import * as ev from '../../src/events/events.js';
import { withoutPullProgress } from '../../src/ui/quiet-pull-view.js';
import type { ProgressView } from '../../src/ui/view.js';

describe('withoutPullProgress (--quiet-pull)', () => {
  it('keeps the start and end of a pull and everything else, but not the per-layer progress', async () => {
    const seen: ev.ProgressEvent[] = [];
    let finished = false;
    const inner: ProgressView = { start: () => undefined, emit: (e) => void seen.push(e), finish: async () => void (finished = true) };
    const view = withoutPullProgress(inner);
    const events = [ev.pulling('busybox'), ev.pulling('busybox', 'a1b2: Downloading 40%'), ev.pulled('busybox'), ev.creating('container', 'demo-web-1'), ev.failed('image', 'other', 'not found')];
    for (const event of events) view.emit(event);
    await view.finish();
    expect(seen.map((e) => `${e.id} ${e.text}${e.detail === undefined ? '' : ` ${e.detail}`}`)).toEqual([
      'image:busybox Pulling',
      'image:busybox Pulled',
      'container:demo-web-1 Creating',
      'image:other Error not found',
    ]);
    expect(finished).toBe(true);
  });
});
