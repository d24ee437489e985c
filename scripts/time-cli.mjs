// Times the quick commands the way a user runs them: `gantry config -q` on a 100-service file and
// `gantry --version`, each RUNS times (plus `node -e 0` for node's own start-up), and prints the
// median, min and max wall time, and the median CPU time (user + sys, which a loaded machine
// inflates less). The 100-service file is bench/gen-stacks.mjs's model100.
// Usage: node scripts/time-cli.mjs [RUNS]   (default 10; run `npm run build` first)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineStacks, renderCompose } from '../bench/gen-stacks.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GANTRY = join(ROOT, 'bin', 'gantry');
const TIME = '/usr/bin/time';
const runs = Number(process.argv[2] ?? 10);

if (!existsSync(join(ROOT, 'dist/cli/main.js'))) {
  process.stderr.write('dist/cli/main.js is missing: run `npm run build` first\n');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'gantry-time-'));
const model100 = defineStacks().find((s) => s.name === 'model100');
if (model100 === undefined) throw new Error('bench/gen-stacks.mjs no longer defines model100');
const file = join(dir, 'compose.yaml');
writeFileSync(file, renderCompose(model100));

/** One run: wall ms measured here, CPU ms from /usr/bin/time when installed. */
function timeOnce(argv) {
  const cpuFile = join(dir, 'cpu');
  const command = existsSync(TIME) ? [TIME, '-f', '%U %S', '-o', cpuFile, ...argv] : argv;
  const start = performance.now();
  const result = spawnSync(command[0], command.slice(1), { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  const wall = performance.now() - start;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  const cpu = existsSync(TIME) ? readFileSync(cpuFile, 'utf8').trim().split(/\s+/).map(Number).reduce((a, b) => a + b, 0) * 1000 : Number.NaN;
  return { wall, cpu };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ms = (n) => (Number.isNaN(n) ? '-' : `${Math.round(n)} ms`);

const cases = [
  ['node -e 0 (node start-up)', [process.execPath, '-e', '0']],
  ['gantry --version', [process.execPath, '--', GANTRY, '--version']],
  ['gantry config -q (100 services)', [process.execPath, '--', GANTRY, '-f', file, 'config', '-q']],
];

try {
  process.stdout.write(`${runs} runs each; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  for (const [name, argv] of cases) {
    timeOnce(argv); // warm the file cache
    const samples = Array.from({ length: runs }, () => timeOnce(argv));
    const walls = samples.map((s) => s.wall);
    process.stdout.write(`${name.padEnd(34)} wall median ${ms(median(walls))} (${ms(Math.min(...walls))}–${ms(Math.max(...walls))}), cpu median ${ms(median(samples.map((s) => s.cpu)))}\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
