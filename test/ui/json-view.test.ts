import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { created, failed, pulling } from '../../src/events/events.js';
import { createJsonView } from '../../src/ui/json-view.js';

function createCollector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write: (chunk, _encoding, done) => (chunks.push(String(chunk)), done()) });
  return { stream, text: () => chunks.join('') };
}

describe('JSON view', () => {
  it('writes one object per event per line, detail only when there is one', async () => {
    const out = createCollector();
    let tick = 0;
    const view = createJsonView(out.stream, { now: () => new Date(Date.UTC(2024, 0, 2, 3, 4, 5, tick++)) });
    view.start([{ id: 'network:demo_default', label: 'Network demo_default' }]);
    view.emit(created('network', 'demo_default'));
    view.emit(pulling('busybox', '3 MB / 5 MB'));
    view.emit(failed('container', 'demo-db-1', 'exited with code "1"'));
    await view.finish();
    expect(out.text()).toBe(
      [
        '{"id":"network:demo_default","label":"Network demo_default","status":"done","text":"Created","time":"2024-01-02T03:04:05.000Z"}',
        '{"id":"image:busybox","label":"Image busybox","status":"working","text":"Pulling","detail":"3 MB / 5 MB","time":"2024-01-02T03:04:05.001Z"}',
        '{"id":"container:demo-db-1","label":"Container demo-db-1","status":"error","text":"Error","detail":"exited with code \\"1\\"","time":"2024-01-02T03:04:05.002Z"}',
        '',
      ].join('\n'),
    );
  });

  it('keeps multi-line details on one line', () => {
    const out = createCollector();
    createJsonView(out.stream).emit(failed('container', 'x', 'line one\nline two'));
    const lines = out.text().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ detail: 'line one\nline two', status: 'error' });
  });
});
