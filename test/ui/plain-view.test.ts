import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { created, creating, failed, skipped, started, starting, waiting } from '../../src/events/events.js';
import { createPlainView, formatPlainLine } from '../../src/ui/plain-view.js';

function createCollector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write: (chunk, _encoding, done) => (chunks.push(String(chunk)), done()) });
  return { stream, text: () => chunks.join('') };
}

const rows = [
  { id: 'network:demo_default', label: 'Network demo_default' },
  { id: 'container:demo-db-1', label: 'Container demo-db-1' },
  { id: 'container:demo-web-1', label: 'Container demo-web-1' },
];

describe('plain view', () => {
  it('prints one line per event, labels padded to the longest row label', async () => {
    const out = createCollector();
    const view = createPlainView(out.stream);
    view.start(rows);
    view.emit(creating('network', 'demo_default'));
    view.emit(created('network', 'demo_default'));
    view.emit(starting('demo-db-1'));
    view.emit(started('demo-db-1'));
    view.emit(waiting('demo-db-1', 'healthy'));
    view.emit(started('demo-web-1'));
    await view.finish();
    expect(out.text()).toBe(
      [
        ' Network demo_default  Creating',
        ' Network demo_default  Created',
        ' Container demo-db-1   Starting',
        ' Container demo-db-1   Started',
        ' Container demo-db-1   Waiting  healthy',
        ' Container demo-web-1  Started',
        '',
      ].join('\n'),
    );
  });

  it('gives errors and warnings their reason', () => {
    const out = createCollector();
    const view = createPlainView(out.stream);
    view.start(rows);
    view.emit(failed('container', 'demo-db-1', 'exited with code 1'));
    view.emit(skipped('container', 'demo-web-1', 'dependency db failed: exited 1'));
    expect(out.text()).toBe(
      ' Container demo-db-1   Error  exited with code 1\n' +
        ' Container demo-web-1  Skipped  dependency db failed: exited 1\n',
    );
  });

  it('never cuts a label longer than the rows, and works without start()', () => {
    const out = createCollector();
    const view = createPlainView(out.stream);
    view.emit(created('volume', 'a-rather-long-volume-name'));
    view.start([{ id: 'network:n', label: 'Network n' }]);
    view.emit(created('volume', 'a-rather-long-volume-name'));
    view.emit(created('network', 'n'));
    expect(out.text()).toBe(
      ' Volume a-rather-long-volume-name  Created\n' +
        ' Volume a-rather-long-volume-name  Created\n' +
        ' Network n  Created\n',
    );
  });

  it('uses no escape codes unless asked for colour', () => {
    const plain = createCollector();
    const coloured = createCollector();
    createPlainView(plain.stream).emit(failed('container', 'x', 'boom'));
    createPlainView(coloured.stream, { color: true }).emit(failed('container', 'x', 'boom'));
    expect(plain.text()).not.toContain('\u001b[');
    expect(coloured.text()).toBe(' Container x  \u001b[31mError\u001b[39m  \u001b[2mboom\u001b[22m\n');
  });

  it('formats a single line for other views to reuse', () => {
    expect(formatPlainLine(started('demo-web-1'), 0)).toBe(' Container demo-web-1  Started');
  });
});
