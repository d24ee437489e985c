#!/usr/bin/env node
// CPU profile of one Gantry command with `node --cpu-prof`, summarised as self time by package
// (or Gantry file) and by function. Uses the build in bench/tmp/gantry (made by run.mjs).
// Usage: node bench/profile.mjs [-C DIR] -- GANTRY_ARGS...
//   e.g. node bench/profile.mjs -C bench/tmp/stacks/model100 -- config -q
//        node bench/profile.mjs -- --version
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
// GANTRY_BIN profiles another build (e.g. the working tree's bin/gantry).
const BIN = process.env.GANTRY_BIN ?? join(HERE, 'tmp', 'gantry', 'bin', 'gantry');
const OUT = join(HERE, 'tmp', 'prof');

const argv = process.argv.slice(2);
const split = argv.indexOf('--');
const own = split < 0 ? [] : argv.slice(0, split);
const args = split < 0 ? argv : argv.slice(split + 1);
const cwd = own[0] === '-C' && own[1] !== undefined ? resolve(own[1]) : process.cwd();
if (!existsSync(BIN)) throw new Error('no build in bench/tmp/gantry: run `node bench/run.mjs --only startup` once first');

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const run = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${OUT}`, '--cpu-prof-interval', '100', BIN, ...args], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
if (run.status !== 0) process.stderr.write(`gantry exited ${run.status}\n`);
const file = readdirSync(OUT).find((f) => f.endsWith('.cpuprofile'));
if (file === undefined) throw new Error('no profile written');
summarise(JSON.parse(readFileSync(join(OUT, file), 'utf8')));
process.stdout.write(`\nprofile: ${join(OUT, file)} (open in Chrome DevTools › Performance)\n`);

/** @param {{ nodes: { id: number, callFrame: { functionName: string, url: string, lineNumber: number } }[], samples: number[], timeDeltas: number[] }} profile */
function summarise(profile) {
  /** @type {Map<number, number>} */
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  /** @type {Map<string, number>} */
  const byPackage = new Map();
  /** @type {Map<string, number>} */
  const byFunction = new Map();
  for (const node of profile.nodes) {
    const ms = (self.get(node.id) ?? 0) / 1000;
    if (ms === 0) continue;
    const url = node.callFrame.url || '(native)';
    const where = url.replace(/^file:\/\/.*?\/(node_modules|bench\/tmp\/gantry)\//, '$1/');
    const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.startsWith('node:') ? 'node (internal)' : where);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
    const fn = `${node.callFrame.functionName || '(anonymous)'}  ${where}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0) / 1000;
  const top = (/** @type {Map<string, number>} */ m, /** @type {number} */ n) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${v.toFixed(1).padStart(8)} ms  ${(100 * v / total).toFixed(0).padStart(3)}%  ${k}`).join('\n');
  process.stdout.write(`gantry ${args.join(' ')}: ${total.toFixed(0)} ms sampled\n\nself time by package or file\n${top(byPackage, 15)}\n\nself time by function\n${top(byFunction, 20)}\n`);
}
