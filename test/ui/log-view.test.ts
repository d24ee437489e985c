// Log lines as compose prints them: aligned `name  | ` prefixes, one colour per service in
// compose's order (only with colour on), status lines, and a printer that can hold and mute.
import { describe, expect, it } from 'vitest';
import { createLogFormatter, createLogPrinter, displayName } from '../../src/ui/log-view.js';
import type { ViewStream } from '../../src/ui/view.js';

const ESC = '\u001b';

describe('createLogFormatter', () => {
  it('pads every prefix to the longest registered name plus one, then " | "', () => {
    const f = createLogFormatter({ color: false });
    f.register('web-1', 'web');
    f.register('worker-1', 'worker');
    expect(f.formatLine('web-1', 'web', 'hello')).toBe('web-1     | hello');
    expect(f.formatLine('worker-1', 'worker', 'hi')).toBe('worker-1  | hi');
  });

  it('prints `web-1  | ` for a lone container, as compose does', () => {
    expect(createLogFormatter({ color: false }).formatLine('web-1', 'web', 'x')).toBe('web-1  | x');
  });

  it('widens for a longer name that appears later', () => {
    const f = createLogFormatter({ color: false });
    expect(f.formatLine('db-1', 'db', 'a')).toBe('db-1  | a');
    f.formatLine('database-1', 'database', 'b');
    expect(f.formatLine('db-1', 'db', 'c')).toBe('db-1        | c');
  });

  it('leaves lines bare with --no-log-prefix', () => {
    expect(createLogFormatter({ color: true, prefix: false }).formatLine('web-1', 'web', 'plain')).toBe('plain');
  });

  it('colours the prefix, not the line: one colour per service, in compose\'s rainbow order', () => {
    const f = createLogFormatter({ color: true });
    for (const [name, service] of [['api-1', 'api'], ['api-2', 'api'], ['db-1', 'db'], ['web-1', 'web']] as const) f.register(name, service);
    expect(f.formatLine('api-1', 'api', 'x')).toBe(`${ESC}[36mapi-1  | ${ESC}[0mx`);
    expect(f.formatLine('api-2', 'api', 'x')).toBe(`${ESC}[36mapi-2  | ${ESC}[0mx`);
    expect(f.formatLine('db-1', 'db', 'x')).toBe(`${ESC}[33mdb-1   | ${ESC}[0mx`);
    expect(f.formatLine('web-1', 'web', 'x')).toBe(`${ESC}[32mweb-1  | ${ESC}[0mx`);
  });

  it('cycles through ten colours, the last five intense', () => {
    const f = createLogFormatter({ color: true });
    const codes = Array.from({ length: 11 }, (_, i) => /\[([\d;]+)m/.exec(f.formatLine(`s${i}-1`, `s${i}`, ''))?.[1]);
    expect(codes).toEqual(['36', '33', '32', '35', '34', '36;1', '33;1', '32;1', '35;1', '34;1', '36']);
  });

  it('writes no escape codes without colour', () => {
    const f = createLogFormatter({ color: false });
    expect(f.formatLine('web-1', 'web', 'x')).not.toContain(ESC);
    expect(f.formatStatus('web-1', 'web', 'exited with code 0')).toBe('web-1 exited with code 0');
  });

  it('colours a status line like its container\'s prefix', () => {
    const f = createLogFormatter({ color: true });
    f.register('db-1', 'db');
    f.register('web-1', 'web');
    expect(f.formatStatus('web-1', 'web', 'exited with code 3')).toBe(`${ESC}[33mweb-1 exited with code 3${ESC}[0m`);
  });
});

describe('displayName', () => {
  it('drops the project from the default name', () => {
    expect(displayName('demo', { name: 'demo-web-1', service: 'web' })).toBe('web-1');
    expect(displayName('my-app', { name: 'my-app-web-12', service: 'web' })).toBe('web-12');
  });

  it('keeps a container_name as it is', () => {
    expect(displayName('demo', { name: 'custom', service: 'web' })).toBe('custom');
    expect(displayName('demo', { name: 'demo-web-x', service: 'web' })).toBe('demo-web-x');
  });
});

function recorder(): ViewStream & { text: string } {
  const stream = { text: '', write: (chunk: string) => ((stream.text += chunk), true) };
  return stream as unknown as ViewStream & { text: string };
}

describe('createLogPrinter', () => {
  it('writes stdout and stderr lines to their own streams', () => {
    const [stdout, stderr] = [recorder(), recorder()];
    const printer = createLogPrinter({ stdout, stderr });
    printer.write('stdout', 'out');
    printer.write('stderr', 'err');
    expect([stdout.text, stderr.text]).toEqual(['out\n', 'err\n']);
  });

  it('holds lines until release, then writes them in order and the rest directly', () => {
    const [stdout, stderr] = [recorder(), recorder()];
    const printer = createLogPrinter({ stdout, stderr, held: true });
    printer.write('stdout', 'one');
    printer.write('stderr', 'two');
    expect(stdout.text + stderr.text).toBe('');
    printer.release();
    printer.write('stdout', 'three');
    expect([stdout.text, stderr.text]).toEqual(['one\nthree\n', 'two\n']);
  });

  it('drops everything once muted, held lines included', () => {
    const stdout = recorder();
    const printer = createLogPrinter({ stdout, stderr: recorder(), held: true });
    printer.write('stdout', 'held');
    printer.mute();
    printer.release();
    printer.write('stdout', 'late');
    expect(stdout.text).toBe('');
  });
});
