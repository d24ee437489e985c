// Durations and byte sizes as compose writes them ('1m30s', '512m'), parsed the way docker's Go
// libraries do, and durations printed back in Go's canonical form so `config` output matches compose.

const NANOS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5 micro sign
  'μs': 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/**
 * A Go duration ('1h2m', '1.5s', '300ms', '0') in nanoseconds; undefined when malformed.
 * Negative durations are refused: no compose field gives them a meaning.
 */
export function parseDuration(text: string): number | undefined {
  let rest = text.trim();
  if (rest.startsWith('+')) rest = rest.slice(1);
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  while (rest !== '') {
    const match = /^(\d*)(?:\.(\d*))?([^\d.]+)/.exec(rest);
    if (!match) return undefined;
    const [all, whole = '', fraction = '', unit = ''] = match;
    const scale = NANOS_PER_UNIT[unit];
    if (scale === undefined || (whole === '' && fraction === '')) return undefined;
    total += Number(whole || '0') * scale + (fraction ? Math.round(Number(`0.${fraction}`) * scale) : 0);
    rest = rest.slice(all.length);
  }
  return Number.isFinite(total) ? total : undefined;
}

/** Nanoseconds in Go's `time.Duration.String()` form: '1m30s', '500ms', '1h0m0s', '0s'. */
export function formatDuration(nanos: number): string {
  const sign = nanos < 0 ? '-' : '';
  const u = Math.abs(Math.trunc(nanos));
  if (u === 0) return '0s';
  if (u < 1e3) return `${sign}${u}ns`;
  if (u < 1e6) return `${sign}${withFraction(u, 1e3, 3)}µs`;
  if (u < 1e9) return `${sign}${withFraction(u, 1e6, 6)}ms`;
  const wholeSeconds = Math.floor(u / 1e9);
  const seconds = `${withFraction((wholeSeconds % 60) * 1e9 + (u % 1e9), 1e9, 9)}s`;
  const minutes = Math.floor(wholeSeconds / 60);
  if (minutes === 0) return `${sign}${seconds}`;
  const hours = Math.floor(minutes / 60);
  return `${sign}${hours > 0 ? `${hours}h` : ''}${minutes % 60}m${seconds}`;
}

function withFraction(value: number, unit: number, digits: number): string {
  const whole = Math.floor(value / unit);
  const fraction = String(value % unit).padStart(digits, '0').replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}

const BYTES_PER_UNIT: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/**
 * A byte size ('512m', '1gb', '1.5G', '2k', 1024) in bytes, with docker's binary multipliers
 * (k = 1024); undefined when malformed or negative.
 */
export function parseSize(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? Math.trunc(text) : undefined;
  const match = /^(\d+(?:\.\d+)*) ?([kmgtp])?i?b?$/i.exec(text.trim());
  if (!match) return undefined;
  const size = Number.parseFloat(match[1] ?? '');
  const unit = BYTES_PER_UNIT[(match[2] ?? '').toLowerCase()] ?? 1;
  return Math.trunc(size * unit);
}
