import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { created } from '../../src/events/events.js';
import { chooseView, selectView, type ProgressMode } from '../../src/ui/select-view.js';

function createStream(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write: (chunk, _encoding, done) => (chunks.push(String(chunk)), done()) });
  return Object.assign(stream, { isTTY, text: () => chunks.join('') });
}

describe('chooseView', () => {
  it.each<[string, ProgressMode, boolean, Record<string, string>, string, boolean]>([
    ['auto on a terminal', 'auto', true, {}, 'tty', true],
    ['auto in a pipe', 'auto', false, {}, 'plain', false],
    ['auto in CI', 'auto', true, { CI: 'true' }, 'plain', true],
    ['auto with CI=false', 'auto', true, { CI: 'false' }, 'tty', true],
    ['auto with an empty CI', 'auto', true, { CI: '' }, 'tty', true],
    ['auto on a dumb terminal', 'auto', true, { TERM: 'dumb' }, 'plain', false],
    ['auto with NO_COLOR', 'auto', true, { NO_COLOR: '1' }, 'tty', false],
    ['auto with an empty NO_COLOR', 'auto', true, { NO_COLOR: '' }, 'tty', true],
    ['tty asked for in a pipe', 'tty', false, {}, 'tty', false],
    ['plain on a terminal', 'plain', true, {}, 'plain', true],
    ['plain with NO_COLOR', 'plain', true, { NO_COLOR: 'yes' }, 'plain', false],
    ['json', 'json', true, {}, 'json', true],
    ['quiet', 'quiet', false, {}, 'quiet', false],
  ])('%s', (_name, progress, isTTY, env, kind, color) => {
    expect(chooseView({ progress, stream: createStream(isTTY), env })).toEqual({ kind, color });
  });
});

describe('selectView', () => {
  const render = async (progress: ProgressMode, isTTY: boolean, env: Record<string, string> = {}): Promise<string> => {
    const stream = createStream(isTTY);
    const view = await selectView({ progress, stream, env });
    view.start([{ id: 'network:demo_default', label: 'Network demo_default' }]);
    view.emit(created('network', 'demo_default'));
    await view.finish();
    return stream.text();
  };

  it('writes plain lines when auto meets a pipe', async () => {
    expect(await render('auto', false)).toBe(' Network demo_default  Created\n');
  });

  it('writes JSON lines for json', async () => {
    expect(JSON.parse(await render('json', false))).toMatchObject({ id: 'network:demo_default', text: 'Created' });
  });

  it('writes nothing for quiet', async () => {
    expect(await render('quiet', true)).toBe('');
  });

  it('loads the listr2 view for a terminal, without colour under NO_COLOR', async () => {
    const text = await render('auto', true, { NO_COLOR: '1' });
    expect(text).toContain('✔ Network demo_default  Created');
    expect(text).not.toMatch(/\u001b\[3\dm/);
  });
});
