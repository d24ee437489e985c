// Turns the benchmark's samples into rows (median, min, max, ratios), checks them against the
// targets of issue 6, and renders the Markdown table and the API-call counts.

export const TOOLS = /** @type {const} */ (['gantry', 'raw', 'compose']);
export const TOOL_LABEL = { gantry: 'Gantry', raw: 'raw', compose: 'docker-compose' };

/**
 * @typedef {'gantry' | 'raw' | 'compose'} Tool
 * @typedef {{ op: string, stack: string, tool: Tool, rep: number, ms: number, rssKb?: number, cpuMs?: number, ok: boolean }} Sample
 * @typedef {{ median: number, min: number, max: number, n: number }} Stats
 * @typedef {{ op: string, stack: string, unit: 'ms' | 'MB', stats: Partial<Record<Tool, Stats>>, ratioRaw?: number, ratioCompose?: number, target: string, pass?: boolean }} Row
 */

export const OPERATIONS = [
  { op: 'up', label: 'up -d (from nothing)' },
  { op: 'noop', label: 'up -d (nothing changed)' },
  { op: 'down', label: 'down -v' },
  { op: 'ps', label: 'ps' },
  { op: 'config', label: 'config -q' },
  { op: 'version', label: '--version' },
  { op: 'rss', label: 'peak RSS of up' },
];

/** @param {number[]} values @returns {Stats | undefined} */
export function stats(values) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { median, min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0, n: sorted.length };
}

/** @param {Sample[]} samples @returns {Row[]} */
export function summarize(samples) {
  /** @type {Row[]} */
  const rows = [];
  const keys = [...new Set(samples.filter((s) => s.ok).map((s) => `${s.op}\u0000${s.stack}`))];
  for (const { op } of OPERATIONS) {
    for (const key of keys.filter((k) => k.startsWith(`${op}\u0000`))) {
      const stack = key.split('\u0000')[1] ?? '';
      rows.push(makeRow(op, stack, samples.filter((s) => s.ok && s.op === op && s.stack === stack), (s) => s.ms, 'ms'));
    }
  }
  const rss = samples.filter((s) => s.ok && s.op === 'up' && s.stack === 'flat30' && s.rssKb !== undefined);
  if (rss.length > 0) rows.push(makeRow('rss', 'flat30', rss, (s) => (s.rssKb ?? 0) / 1024, 'MB'));
  return rows;
}

/** @param {string} op @param {string} stack @param {Sample[]} samples @param {(s: Sample) => number} value @param {'ms' | 'MB'} unit @returns {Row} */
function makeRow(op, stack, samples, value, unit) {
  /** @type {Partial<Record<Tool, Stats>>} */
  const byTool = {};
  for (const tool of TOOLS) {
    const s = stats(samples.filter((x) => x.tool === tool).map(value));
    if (s !== undefined) byTool[tool] = s;
  }
  const g = byTool.gantry?.median;
  const ratioRaw = g !== undefined && byTool.raw ? g / byTool.raw.median : undefined;
  const ratioCompose = g !== undefined && byTool.compose ? g / byTool.compose.median : undefined;
  const { target, pass } = checkTarget(op, stack, g, ratioRaw, ratioCompose);
  return { op, stack, unit, stats: byTool, ...(ratioRaw === undefined ? {} : { ratioRaw }), ...(ratioCompose === undefined ? {} : { ratioCompose }), target, ...(pass === undefined ? {} : { pass }) };
}

/**
 * The targets of issue 6. A ratio that could not be measured leaves the check undecided.
 * @returns {{ target: string, pass?: boolean }}
 */
export function checkTarget(/** @type {string} */ op, /** @type {string} */ stack, /** @type {number | undefined} */ g, /** @type {number | undefined} */ rRaw, /** @type {number | undefined} */ rCompose) {
  const all = (/** @type {(boolean | undefined)[]} */ checks) => (checks.some((c) => c === undefined) ? undefined : checks.every(Boolean));
  switch (op) {
    case 'up':
    case 'down': {
      const bound = op === 'up' && stack === 'health30' ? 1.1 : 1.05;
      return { target: `≤ ${bound}× raw, < docker-compose`, pass: all([rRaw === undefined ? undefined : rRaw <= bound, rCompose === undefined ? undefined : rCompose < 1]) };
    }
    case 'noop':
    case 'ps':
    case 'config':
      return { target: '≤ 0.3× docker-compose', pass: rCompose === undefined ? undefined : rCompose <= 0.3 };
    case 'version':
      return { target: '≤ 0.3× docker-compose, < 150 ms', pass: all([rCompose === undefined ? undefined : rCompose <= 0.3, g === undefined ? undefined : g < 150]) };
    case 'rss':
      return { target: '< 120 MB', pass: g === undefined ? undefined : g < 120 };
    default:
      return { target: '' };
  }
}

/** @param {number} value @param {'ms' | 'MB'} unit */
function formatValue(value, unit) {
  if (unit === 'MB') return `${value.toFixed(0)} MB`;
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`;
}

/** @param {Stats | undefined} s @param {'ms' | 'MB'} unit */
function formatStats(s, unit) {
  if (s === undefined) return '—';
  const bare = (/** @type {number} */ v) => formatValue(v, unit).replace(/ (ms|s|MB)$/, '');
  return `${formatValue(s.median, unit)} (${bare(s.min)}–${bare(s.max)})`;
}

/** @param {number | undefined} r */
function formatRatio(r) {
  return r === undefined ? '—' : `${r.toFixed(2)}×`;
}

/** @param {Row[]} rows @returns {string} */
export function renderTable(rows) {
  const label = (/** @type {string} */ op) => OPERATIONS.find((o) => o.op === op)?.label ?? op;
  const head = ['Operation', 'Stack', 'Gantry', 'raw', 'docker-compose', 'Gantry/raw', 'Gantry/compose', 'Target', 'Result'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const result = row.pass === undefined ? '—' : row.pass ? 'PASS' : '**MISS**';
    lines.push(`| ${[label(row.op), row.stack, formatStats(row.stats.gantry, row.unit), formatStats(row.stats.raw, row.unit), formatStats(row.stats.compose, row.unit), formatRatio(row.ratioRaw), formatRatio(row.ratioCompose), row.target, result].join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * @param {{ op: string, stack: string, tool: Tool, counts: Record<string, number> }[]} calls
 * @returns {string}
 */
export function renderCalls(calls) {
  if (calls.length === 0) return '';
  const total = (/** @type {Record<string, number>} */ c) => Object.values(c).reduce((a, b) => a + b, 0);
  const keys = [...new Set(calls.map((c) => `${c.op}\u0000${c.stack}`))];
  const lines = ['| Operation | Stack | Gantry | raw | docker-compose | Gantry\'s calls |', '|---|---|---|---|---|---|'];
  for (const key of keys) {
    const [op = '', stack = ''] = key.split('\u0000');
    const of = (/** @type {Tool} */ tool) => calls.find((c) => c.op === op && c.stack === stack && c.tool === tool)?.counts;
    const cell = (/** @type {Tool} */ tool) => { const c = of(tool); return c === undefined ? '—' : String(total(c)); };
    const g = of('gantry');
    const breakdown = g === undefined ? '' : Object.entries(g).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}× \`${k}\``).join(', ');
    lines.push(`| ${op} | ${stack} | ${cell('gantry')} | ${cell('raw')} | ${cell('compose')} | ${breakdown} |`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The tools' own CPU time (user + system, from /usr/bin/time): unlike wall time it hardly moves
 * when other work loads the machine, so it shows where the client itself is slow.
 * @param {Sample[]} samples @returns {string}
 */
export function renderCpuTable(samples) {
  const withCpu = samples.filter((s) => s.ok && s.cpuMs !== undefined);
  if (withCpu.length === 0) return '';
  const keys = [...new Set(withCpu.map((s) => `${s.op}\u0000${s.stack}`))];
  const label = (/** @type {string} */ op) => OPERATIONS.find((o) => o.op === op)?.label ?? op;
  const lines = ['| Operation | Stack | Gantry | raw | docker-compose | Gantry/compose |', '|---|---|---|---|---|---|'];
  for (const key of keys) {
    const [op = '', stack = ''] = key.split('\u0000');
    const of = (/** @type {Tool} */ tool) => stats(withCpu.filter((s) => s.op === op && s.stack === stack && s.tool === tool).map((s) => s.cpuMs ?? 0));
    const g = of('gantry');
    const c = of('compose');
    const cell = (/** @type {Stats | undefined} */ s) => (s === undefined ? '—' : `${s.median.toFixed(0)} ms`);
    lines.push(`| ${label(op)} | ${stack} | ${cell(g)} | ${cell(of('raw'))} | ${cell(c)} | ${g && c ? `${(g.median / c.median).toFixed(2)}×` : '—'} |`);
  }
  return `${lines.join('\n')}\n`;
}
