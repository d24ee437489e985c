import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { created, creating, failed, pulling, started, starting, waiting } from '../../src/events/events.js';
import { createListrView, formatElapsed, formatRowTitle } from '../../src/ui/listr-view.js';

function createCollector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write: (chunk, _encoding, done) => (chunks.push(String(chunk)), done()) });
  return { stream, text: () => chunks.join('') };
}

const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

const rows = [
  { id: 'network:demo_default', label: 'Network demo_default' },
  { id: 'container:demo-db-1', label: 'Container demo-db-1' },
  { id: 'container:demo-web-1', label: 'Container demo-web-1' },
];

function withTimeout<T>(promise: Promise<T>, ms = 3000): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms))]);
}

describe('row titles', () => {
  it('pad the label, then text, detail and elapsed time', () => {
    expect(formatRowTitle({ label: 'Container demo-db-1', width: 20, event: started('demo-db-1'), elapsedMs: 1234 })).toBe(
      'Container demo-db-1   Started  1.2s',
    );
    expect(formatRowTitle({ label: 'Container demo-db-1', width: 0, event: waiting('demo-db-1', 'healthy') })).toBe(
      'Container demo-db-1  Waiting  healthy',
    );
    expect(formatRowTitle({ label: 'Network n', width: 20 })).toBe('Network n');
    expect(formatElapsed(-3)).toBe('0.0s');
  });

  it('leave an error detail to listr2, which shows it under the row', () => {
    expect(formatRowTitle({ label: 'Container x', width: 0, event: failed('container', 'x', 'exited 1') })).toBe(
      'Container x  Error',
    );
  });
});

describe.each([
  ['simple renderer (not a TTY)', false],
  ['default renderer (forced TTY)', true],
])('listr view, %s', (_name, tty) => {
  it("ends with each row's final title", async () => {
    const out = createCollector();
    let now = 1000;
    const view = createListrView(out.stream, { tty, clock: () => now, tickMs: 0 });
    view.start(rows);
    view.emit(creating('network', 'demo_default'));
    now = 1600;
    view.emit(created('network', 'demo_default'));
    view.emit(starting('demo-web-1'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    now = 2800;
    view.emit(started('demo-web-1'));
    view.emit(failed('container', 'demo-db-1', 'exited with code 1'));
    await withTimeout(view.finish());
    const text = stripAnsi(out.text());
    expect(text).toContain('✔ Network demo_default  Created  0.6s');
    expect(text).toContain('✔ Container demo-web-1  Started  1.2s');
    expect(text).toContain('✖ Container demo-db-1   Error');
    expect(text).toContain('exited with code 1');
  });

  it('settles on finish() even when rows got no final event, or none at all', async () => {
    const out = createCollector();
    const view = createListrView(out.stream, { tty, tickMs: 0 });
    view.start(rows);
    view.emit(starting('demo-web-1'));
    await withTimeout(view.finish());
    const text = stripAnsi(out.text());
    expect(text).toContain('Container demo-web-1  Starting');
    expect(text).toContain('Network demo_default');
    expect(text).not.toContain('✔');
  });

  it('prints events for rows it was not given as plain lines', async () => {
    const out = createCollector();
    const view = createListrView(out.stream, { tty, tickMs: 0 });
    view.start(rows);
    view.emit(pulling('busybox', 'Downloading'));
    await withTimeout(view.finish());
    expect(stripAnsi(out.text())).toContain(' Image busybox         Pulling  Downloading\n');
  });

  it('colours only when asked to, whatever the environment says', async () => {
    const plain = createCollector();
    const coloured = createCollector();
    for (const [out, color] of [[plain, false], [coloured, true]] as const) {
      const view = createListrView(out.stream, { tty, color, tickMs: 0 });
      view.start(rows.slice(0, 1));
      view.emit(created('network', 'demo_default'));
      await withTimeout(view.finish());
    }
    expect(plain.text()).not.toMatch(/\u001b\[3\dm/);
    expect(coloured.text()).toContain('\u001b[32m✔\u001b[39m');
  });
});

describe('listr view lifecycle', () => {
  it('keeps the elapsed time of working rows ticking on a TTY', async () => {
    const out = createCollector();
    let now = 0;
    const view = createListrView(out.stream, { tty: true, clock: () => now, tickMs: 5 });
    view.start(rows.slice(2));
    view.emit(starting('demo-web-1'));
    now = 2500;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stripAnsi(out.text())).toContain('Container demo-web-1  Starting  2.5s');
    await withTimeout(view.finish());
  });

  it('finishes without start()', async () => {
    const out = createCollector();
    await expect(withTimeout(createListrView(out.stream).finish())).resolves.toBeUndefined();
  });

  it('refuses a second start()', () => {
    const view = createListrView(createCollector().stream, { tickMs: 0 });
    view.start([]);
    expect(() => view.start([])).toThrow(/once/);
    return view.finish();
  });
});
