// PURE: turns the bytes of GET /containers/{id}/logs into whole lines per stream. Without a TTY
// the engine multiplexes stdout and stderr in 8-byte-header frames (stream-frames.ts splits
// them); with one, it sends raw bytes. Either way, frames and chunks cut lines (and UTF-8
// characters) anywhere, so each stream keeps its unfinished line until the rest arrives.
import { StringDecoder } from 'node:string_decoder';
import { createFrameSplitter, type FrameStream } from './stream-frames.js';

export type LogStream = FrameStream;

export interface LogLineSplitter {
  push(chunk: Uint8Array): void;
  /** The stream ended: emit what is left of unfinished lines. */
  end(): void;
}

/**
 * Splits a log stream into lines; `tty` says whether the container has a TTY (raw bytes, all on
 * stdout) or not (multiplexed frames). Lines lose their '\n' and a '\r' before it.
 */
export function createLogLineSplitter(tty: boolean, onLine: (stream: LogStream, line: string) => void): LogLineSplitter {
  const stdout = createLineBuffer((line) => onLine('stdout', line));
  const stderr = createLineBuffer((line) => onLine('stderr', line));
  if (tty) {
    return { push: (chunk) => stdout.push(chunk), end: () => stdout.end() };
  }
  const frames = createFrameSplitter((stream, payload) => (stream === 'stderr' ? stderr : stdout).push(payload));
  return {
    push: (chunk) => frames.push(chunk),
    end: () => {
      stdout.end();
      stderr.end();
    },
  };
}

interface LineBuffer {
  push(bytes: Uint8Array): void;
  end(): void;
}

function createLineBuffer(onLine: (line: string) => void): LineBuffer {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  const emit = (text: string): void => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(stripCarriageReturn(line));
  };
  return {
    push: (bytes) => emit(decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))),
    end: () => {
      emit(decoder.end());
      if (partial !== '') onLine(stripCarriageReturn(partial));
      partial = '';
    },
  };
}

/** A TTY turns '\n' into '\r\n', so a program's own '\r\n' arrives as '\r\r\n'. */
function stripCarriageReturn(line: string): string {
  return line.replace(/\r+$/, '');
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * `--since` / `--until` as the docker CLI takes them, in the engine's "seconds.nanoseconds" form:
 * a Unix timestamp (`1700000000`, `1700000000.5`), an RFC 3339 date or date-time
 * (`2024-01-02`, `2024-01-02T15:04:05.123456789Z`), or a duration before `nowMs` (`10m`, `1h30m`).
 * Returns undefined when the value is none of these.
 */
export function toEngineTimestamp(value: string, nowMs: number): string | undefined {
  const text = value.trim();
  if (/^\d+(\.\d{1,9})?$/.test(text)) return text;
  const duration = parseDuration(text);
  if (duration !== undefined) return formatUnixMs(nowMs - duration);
  return parseDateTime(text);
}

function parseDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * (DURATION_UNITS[part[2] ?? 's'] ?? 0);
  return total;
}

/** RFC 3339 with up to nanosecond precision kept exactly (Date keeps only milliseconds). */
function parseDateTime(text: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (match === null) return undefined;
  const [, date = '', time, fraction, zone] = match;
  // Like the docker CLI, a date-time without a zone is local time; a bare date is UTC midnight.
  const iso = time === undefined ? `${date}T00:00:00Z` : `${date}T${time.length === 5 ? `${time}:00` : time}${zone ?? ''}`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  return `${Math.floor(ms / 1000)}.${(fraction ?? '').padEnd(9, '0')}`;
}

/** Milliseconds since the epoch as "seconds.nanoseconds". */
export function formatUnixMs(ms: number): string {
  const whole = Math.floor(ms);
  const seconds = Math.floor(whole / 1000);
  return `${seconds}.${String((whole - seconds * 1000) * 1_000_000).padStart(9, '0')}`;
}

/** An engine time (RFC 3339, nanoseconds) as "seconds.nanoseconds", for resuming a log. */
export function toResumePoint(rfc3339: string | undefined): string | undefined {
  return rfc3339 === undefined ? undefined : parseDateTime(rfc3339.replace(/\.(\d{1,9})\d*/, '.$1'));
}

/** One nanosecond after an engine time (RFC 3339): a `since` that leaves out the line logged at it. */
export function justAfter(rfc3339: string): string | undefined {
  const point = toResumePoint(rfc3339);
  return point === undefined ? undefined : fromNanos(toNanos(point) + 1n);
}

/** The later of two "seconds.nanoseconds" points (either may be missing). */
export function laterOf(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return toNanos(a) >= toNanos(b) ? a : b;
}

function toNanos(point: string): bigint {
  const [seconds = '0', fraction = ''] = point.split('.');
  return BigInt(seconds) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9) || '0');
}

function fromNanos(nanos: bigint): string {
  return `${nanos / 1_000_000_000n}.${String(nanos % 1_000_000_000n).padStart(9, '0')}`;
}
