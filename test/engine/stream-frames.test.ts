import { describe, expect, it } from 'vitest';
import { createFrameSplitter, type FrameStream } from '../../src/engine/stream-frames.js';

function frame(stream: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function split(chunks: readonly Buffer[]): { out: string; err: string; pending: number } {
  const seen: Record<FrameStream, string> = { stdout: '', stderr: '' };
  const splitter = createFrameSplitter((stream, payload) => (seen[stream] += payload.toString()));
  for (const chunk of chunks) splitter.push(chunk);
  return { out: seen.stdout, err: seen.stderr, pending: splitter.pending };
}

describe('createFrameSplitter', () => {
  it('sends stream 1 to stdout and stream 2 to stderr', () => {
    expect(split([Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n'), frame(1, 'more\n')])])).toEqual({ out: 'out\nmore\n', err: 'err\n', pending: 0 });
  });

  it('reassembles frames cut anywhere, one byte at a time', () => {
    const bytes = Buffer.concat([frame(2, 'hello'), frame(1, 'world')]);
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    expect(split(chunks)).toEqual({ out: 'world', err: 'hello', pending: 0 });
  });

  it('passes a payload on as it arrives, before the frame is complete', () => {
    const whole = frame(1, 'abcdef');
    const result = split([whole.subarray(0, 11)]);
    expect(result).toEqual({ out: 'abc', err: '', pending: 3 });
  });

  it('counts an unfinished header as pending', () => {
    expect(split([frame(1, 'x').subarray(0, 5)]).pending).toBe(3);
  });

  it('treats stdin echo (stream 0) as stdout and skips empty frames', () => {
    expect(split([Buffer.concat([frame(0, 'echo'), frame(1, ''), frame(2, '!')])])).toEqual({ out: 'echo', err: '!', pending: 0 });
  });
});
