// The log stream decoder: multiplexed frames (no TTY) and raw bytes (TTY) become whole lines per
// stream, whatever the chunk boundaries; --since/--until values become engine timestamps.
import { describe, expect, it } from 'vitest';
import { createLogLineSplitter, formatUnixMs, justAfter, laterOf, toEngineTimestamp, toResumePoint, type LogStream } from '../../src/engine/logs.js';

/** One engine frame: [stream, 0, 0, 0, size uint32 BE] + payload. */
function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function decode(tty: boolean, chunks: readonly Uint8Array[]): [LogStream, string][] {
  const lines: [LogStream, string][] = [];
  const splitter = createLogLineSplitter(tty, (stream, line) => lines.push([stream, line]));
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

/** Cuts a buffer into pieces of `size` bytes: every boundary falls somewhere new. */
function cut(data: Buffer, size: number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) pieces.push(data.subarray(i, i + size));
  return pieces;
}

describe('createLogLineSplitter without a TTY (multiplexed frames)', () => {
  const stream = Buffer.concat([frame(1, 'out one\nout '), frame(2, 'err one\n'), frame(1, 'two\n'), frame(2, 'err two\n')]);
  const expected: [LogStream, string][] = [
    ['stdout', 'out one'],
    ['stderr', 'err one'],
    ['stdout', 'out two'],
    ['stderr', 'err two'],
  ];

  it('separates stdout from stderr and joins a line split across frames', () => {
    expect(decode(false, [stream])).toEqual(expected);
  });

  it.each([1, 2, 3, 5, 7, 8, 9, 13])('gives the same lines when chunks are %i bytes (headers and payloads cut)', (size) => {
    expect(decode(false, cut(stream, size))).toEqual(expected);
  });

  it('keeps a partial line until its end arrives, and emits a last line without a newline at the end', () => {
    const lines: string[] = [];
    const splitter = createLogLineSplitter(false, (_stream, line) => lines.push(line));
    splitter.push(frame(1, 'no newline yet'));
    expect(lines).toEqual([]);
    splitter.push(frame(1, ', now\nlast'));
    expect(lines).toEqual(['no newline yet, now']);
    splitter.end();
    expect(lines).toEqual(['no newline yet, now', 'last']);
  });

  it('keeps each stream\'s partial line apart', () => {
    expect(decode(false, [frame(1, 'a'), frame(2, 'x'), frame(1, 'b\n'), frame(2, 'y\n')])).toEqual([['stdout', 'ab'], ['stderr', 'xy']]);
  });

  it('decodes a UTF-8 character cut between two frames', () => {
    const bytes = Buffer.from('héllo ✓\n', 'utf8');
    const at = bytes.indexOf(0x9c); // inside the 3-byte check mark
    expect(decode(false, [frameBytes(1, bytes.subarray(0, at)), frameBytes(1, bytes.subarray(at))])).toEqual([['stdout', 'héllo ✓']]);
  });

  it('keeps empty lines', () => {
    expect(decode(false, [frame(1, 'a\n\nb\n')])).toEqual([['stdout', 'a'], ['stdout', ''], ['stdout', 'b']]);
  });
});

function frameBytes(stream: 1 | 2, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('createLogLineSplitter with a TTY (raw bytes)', () => {
  it('reads everything as stdout, strips the terminal\'s \\r\\n, and joins lines cut between chunks', () => {
    expect(decode(true, [Buffer.from('one\r\ntw'), Buffer.from('o\r\nthree')])).toEqual([['stdout', 'one'], ['stdout', 'two'], ['stdout', 'three']]);
  });

  it('strips the extra \\r a TTY adds to a program\'s own \\r\\n', () => {
    expect(decode(true, [Buffer.from('one\r\r\ntwo\r\n')])).toEqual([['stdout', 'one'], ['stdout', 'two']]);
  });

  it('does not look for frame headers', () => {
    const bytes = Buffer.from([2, 0, 0, 0, 0, 0, 0, 3, 0x61, 0x0a]);
    expect(decode(true, [bytes])).toEqual([['stdout', `${bytes.subarray(0, 9).toString('utf8')}`]]);
  });
});

describe('toEngineTimestamp', () => {
  const now = Date.UTC(2024, 4, 1, 12, 0, 0);
  it.each([
    ['1700000000', '1700000000'],
    ['1700000000.5', '1700000000.5'],
    ['2024-05-01', `${Date.UTC(2024, 4, 1) / 1000}.000000000`],
    ['2024-05-01T10:00:00Z', `${Date.UTC(2024, 4, 1, 10) / 1000}.000000000`],
    ['2024-05-01T10:00:00.123456789Z', `${Date.UTC(2024, 4, 1, 10) / 1000}.123456789`],
    ['2024-05-01T10:00:00+02:00', `${Date.UTC(2024, 4, 1, 8) / 1000}.000000000`],
    ['10m', `${(now - 600_000) / 1000}.000000000`],
    ['1h30m', `${(now - 5_400_000) / 1000}.000000000`],
    ['1.5s', `${Math.floor((now - 1500) / 1000)}.500000000`],
  ])('reads %s', (value, expected) => {
    expect(toEngineTimestamp(value, now)).toBe(expected);
  });

  it.each(['yesterday', '10x', '2024-13-45', ''])('refuses %j', (value) => {
    expect(toEngineTimestamp(value, now)).toBeUndefined();
  });

  it('formats milliseconds with nanosecond digits', () => {
    expect(formatUnixMs(1_700_000_000_123)).toBe('1700000000.123000000');
  });

  it('turns an inspected FinishedAt into a resume point without losing nanoseconds', () => {
    expect(toResumePoint('2024-05-01T10:00:00.987654321Z')).toBe(`${Date.UTC(2024, 4, 1, 10) / 1000}.987654321`);
    expect(toResumePoint(undefined)).toBeUndefined();
  });

  it('resumes one nanosecond after a logged line, carrying into the seconds', () => {
    const second = Date.UTC(2024, 4, 1, 10) / 1000;
    expect(justAfter('2024-05-01T10:00:00.000000001Z')).toBe(`${second}.000000002`);
    expect(justAfter('2024-05-01T10:00:00.999999999Z')).toBe(`${second + 1}.000000000`);
    expect(justAfter('2024-05-01T10:00:00.5Z')).toBe(`${second}.500000001`);
  });

  it('picks the later of two resume points', () => {
    expect(laterOf('100.000000002', '100.000000001')).toBe('100.000000002');
    expect(laterOf('99.9', '100.000000001')).toBe('100.000000001');
    expect(laterOf(undefined, '5.0')).toBe('5.0');
    expect(laterOf(undefined, undefined)).toBeUndefined();
  });
});
