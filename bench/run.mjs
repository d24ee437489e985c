#!/usr/bin/env node
// `npm run bench`: Gantry against Debian's docker-compose (v1.29) and the raw engine lower bound
// (bench/raw.mjs), interleaved and repeated on generated stacks, checked against issue 6's
// targets. Writes bench/results.md and bench/results.json and prints the table.
// Usage: node bench/run.mjs [--quick] [--reps N] [--only STACK]... [--no-build] [--no-calls] [--no-compose]
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startCallProxy } from './call-proxy.mjs';
import { IMAGE, writeStacks } from './gen-stacks.mjs';
import { hasTime, measure, removeScratch, stopCurrent } from './measure.mjs';
import { connect, down as rawDown } from './raw.mjs';
import { renderCalls, renderCpuTable, renderTable, summarize, TOOLS } from './report.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(HERE);
const TMP = join(HERE, 'tmp');
const GANTRY_HOME = join(TMP, 'gantry');
const RAW = join(HERE, 'raw.mjs');
const COMPOSE = '/usr/bin/docker-compose';
const CYCLE = /** @type {const} */ (['up', 'noop', 'ps', 'down']);
const COMMAND_TIMEOUT_MS = 5 * 60_000;
/** Pseudo-stacks for --only: the 100-service model (config -q) and start-up (--version). */
const MODEL = 'model100';
const STARTUP = 'startup';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    only: { type: 'string', multiple: true },
    'no-build': { type: 'boolean', default: false },
    'no-calls': { type: 'boolean', default: false },
    'no-compose': { type: 'boolean', default: false },
    'report-only': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  process.stdout.write(`usage: node bench/run.mjs [--quick] [--reps N] [--only STACK]... [--no-build] [--no-calls] [--no-compose]
  stacks: flat10 flat30 layers30 health30 ${MODEL} (config -q) ${STARTUP} (--version)
  --quick       2 repetitions (start-up and config still take 5 samples)
  --no-build    use bench/tmp/gantry as built by a previous run
  --no-calls    skip the pass that counts API calls through a proxy
  --report-only write bench/results.md again from bench/results.json, running nothing
`);
  process.exit(0);
}
// 6 by default: the order of the three tools rotates each repetition, so with a multiple of 3 each
// tool runs first, second and last equally often (with 5, one tool ran last twice and the engine
// was still settling from the others' `down`).
const reps = flags.reps !== undefined ? Number(flags.reps) : flags.quick ? 2 : 6;
if (!Number.isInteger(reps) || reps < 1) throw new Error(`Expected --reps to be a whole number ≥ 1, got ${flags.reps}`);
const only = new Set((flags.only ?? []).flatMap((o) => o.split(',')).filter(Boolean));
const wanted = (/** @type {string} */ name) => only.size === 0 || only.has(name);

/** @type {import('dockerode')} */
let docker;
/** Projects that may have resources on the engine: removed on exit, failure or Ctrl-C. */
const live = new Set();
let aborting = false;
const log = (/** @type {string} */ text) => process.stderr.write(`${text}\n`);

process.on('SIGINT', () => void abort('SIGINT'));
process.on('SIGTERM', () => void abort('SIGTERM'));

async function abort(/** @type {string} */ signal) {
  if (aborting) process.exit(130);
  aborting = true;
  log(`\n${signal}: stopping the running command and removing benchmark projects (again to quit at once)`);
  await stopCurrent();
  await cleanupAll();
  removeScratch();
  process.exit(130);
}

async function cleanupAll() {
  for (const project of [...live]) await cleanup(project);
}

/** Engine 20.10 may call a network "in use" for a moment after its last container went: retry. */
async function cleanup(/** @type {string} */ project) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const left = await rawDown(docker, project);
      live.delete(project);
      return left;
    } catch (error) {
      if (attempt >= 5) {
        log(`cleanup of ${project} failed: ${error instanceof Error ? error.message : error}`);
        return -1;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }
}

async function main() {
  const loadBefore = loadavg();
  docker = await connect();
  const meta = await checkPrerequisites();
  const gantryBin = flags['no-build'] ? join(GANTRY_HOME, 'bin', 'gantry') : buildGantry();
  const stacks = writeStacks(join(TMP, 'stacks'));
  const runnable = Object.values(stacks).filter((s) => s.stack.runnable && wanted(s.stack.name));
  const tools = TOOLS.filter((t) => t !== 'compose' || meta.compose !== undefined);
  const model = stacks[MODEL];
  if (model === undefined) throw new Error('internal: no model stack');
  const rand = Math.random().toString(36).slice(2, 7);

  /** @param {import('./report.mjs').Tool} tool @param {string} op @param {{ file: string, json: string }} s @param {string} project */
  const argvOf = (tool, op, s, project) => {
    const verb = { up: ['up', '-d'], noop: ['up', '-d'], ps: ['ps'], down: ['down', '-v'], config: ['config', '-q'], version: ['--version'] }[op] ?? [];
    if (tool === 'raw') {
      if (op === 'version') return [process.execPath, RAW, 'version'];
      if (op === 'config') return [process.execPath, RAW, 'config', s.file];
      return [process.execPath, RAW, op, s.json, project];
    }
    const head = tool === 'gantry' ? [gantryBin] : [COMPOSE];
    if (op === 'version') return [...head, ...verb];
    if (op === 'config') return [...head, '-f', s.file, ...verb];
    return [...head, '-f', s.file, '-p', project, ...verb];
  };

  /** @type {import('./report.mjs').Sample[]} */
  const samples = [];
  /** @param {import('./report.mjs').Tool} tool @param {string} op @param {{ file: string, json: string, stack: { name: string } }} s @param {string} project @param {number} rep @param {string} stackName */
  const timeOne = async (tool, op, s, project, rep, stackName, env = process.env) => {
    if (aborting) throw new Error('aborted');
    const m = await measure(argvOf(tool, op, s, project), { cwd: dirname(s.file), env, timeoutMs: COMMAND_TIMEOUT_MS });
    const ok = m.code === 0;
    samples.push({ op, stack: stackName, tool, rep, ms: m.ms, ...(m.rssKb === undefined ? {} : { rssKb: m.rssKb }), ...(m.cpuMs === undefined ? {} : { cpuMs: m.cpuMs }), ok });
    const recreated = op === 'noop' && /recreat/i.test(m.stderr);
    log(`  ${stackName.padEnd(9)} ${tool.padEnd(8)} ${op.padEnd(8)} ${(m.ms / 1000).toFixed(3).padStart(8)} s${m.cpuMs === undefined ? '' : `  cpu ${(m.cpuMs / 1000).toFixed(2)} s`}${m.rssKb ? `  ${(m.rssKb / 1024).toFixed(0)} MB` : ''}${ok ? '' : `  FAILED (exit ${m.code ?? m.signal})`}${recreated ? '  (recreated containers!)' : ''}`);
    if (!ok) log(m.stderr.split('\n').slice(-8).map((l) => `      ${l}`).join('\n'));
    return ok;
  };

  // Warm the page cache for every tool, untimed.
  for (const tool of tools) {
    await measure(argvOf(tool, 'version', model, ''), { cwd: dirname(model.file) });
    await measure(argvOf(tool, 'config', model, ''), { cwd: dirname(model.file) });
  }

  const fastReps = Math.max(reps, 5);
  for (let rep = 0; rep < Math.max(reps, wanted(MODEL) || wanted(STARTUP) ? fastReps : 0); rep += 1) {
    log(`repetition ${rep + 1}/${reps}${rep >= reps ? ' (start-up and config only)' : ''}  load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const order = rotate(tools, rep);
    if (rep < reps) {
      for (const s of runnable) {
        for (const tool of order) {
          const project = `gbench-${s.stack.name}-${rand}-${tool[0]}${rep}`;
          live.add(project);
          for (const op of CYCLE) {
            if (!(await timeOne(tool, op, s, project, rep, s.stack.name))) break;
          }
          const left = await cleanup(project);
          if (left > 0) log(`    ${tool} left ${left} resources of ${project} behind; removed them`);
        }
      }
    }
    for (const tool of order) {
      if (wanted(MODEL)) await timeOne(tool, 'config', model, '', rep, MODEL);
      if (wanted(STARTUP)) await timeOne(tool, 'version', model, '', rep, '-');
    }
  }

  const calls = flags['no-calls'] ? [] : await countCalls(runnable, tools, argvOf, rand);
  const loadAfter = loadavg();
  const rows = summarize(samples);
  const table = renderTable(rows);
  const results = { date: new Date().toISOString(), reps, quick: flags.quick, ...meta, loadBefore, loadAfter, rows, calls, samples };
  writeFileSync(join(HERE, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(HERE, 'results.md'), renderMarkdown({ ...results, table, cpuTable: renderCpuTable(samples), callsTable: renderCalls(calls) }));
  process.stdout.write(`\n${table}\nload average before ${fmtLoad(loadBefore)}, after ${fmtLoad(loadAfter)} (${cpus().length} CPUs)\nwrote bench/results.md and bench/results.json\n`);
  const failures = samples.filter((s) => !s.ok).length;
  if (failures > 0) {
    log(`${failures} command(s) failed; their samples are left out of the table`);
    process.exitCode = 1;
  }
}

/** One more pass, through a counting proxy on the engine socket: API calls per operation. */
async function countCalls(/** @type {any[]} */ runnable, /** @type {readonly import('./report.mjs').Tool[]} */ tools, /** @type {Function} */ argvOf, /** @type {string} */ rand) {
  log('counting API calls (one pass through a proxy; not timed)');
  const proxy = await startCallProxy({ listen: join(TMP, 'calls.sock') });
  const env = { ...process.env, DOCKER_HOST: proxy.host };
  /** @type {{ op: string, stack: string, tool: import('./report.mjs').Tool, counts: Record<string, number> }[]} */
  const calls = [];
  try {
    for (const s of runnable) {
      for (const tool of tools) {
        const project = `gbench-${s.stack.name}-${rand}-${tool[0]}c`;
        live.add(project);
        for (const op of CYCLE) {
          if (aborting) throw new Error('aborted');
          proxy.take();
          const m = await measure(argvOf(tool, op, s, project), { cwd: dirname(s.file), env, timeoutMs: COMMAND_TIMEOUT_MS });
          calls.push({ op, stack: s.stack.name, tool, counts: proxy.take() });
          if (m.code !== 0) {
            log(`  ${tool} ${op} failed through the proxy: ${m.stderr.split('\n').slice(-3).join(' ')}`);
            break;
          }
        }
        await cleanup(project);
      }
    }
  } finally {
    await proxy.close();
  }
  return calls;
}

async function checkPrerequisites() {
  const version = await docker.version().catch(() => {
    throw new Error('no Docker engine answers (DOCKER_HOST or /var/run/docker.sock): run `npm run setup` first');
  });
  await docker.getImage(IMAGE).inspect().catch(() => {
    throw new Error(`the test image ${IMAGE} is missing: run \`npm run setup\` first`);
  });
  let compose;
  if (!flags['no-compose']) {
    const probe = existsSync(COMPOSE) ? spawnSync(COMPOSE, ['--version'], { encoding: 'utf8' }) : undefined;
    compose = probe?.status === 0 ? probe.stdout.trim() : undefined;
    if (compose === undefined) log(`docker-compose not found at ${COMPOSE} (Debian: apt-get install -y docker-compose); its column stays empty`);
  }
  if (!hasTime) log('/usr/bin/time is missing (Debian: apt-get install -y time); peak RSS is polled from /proc instead, which can miss a short final peak');
  return { engine: `${version.Version} (API ${version.ApiVersion})`, node: process.version, compose, cpus: cpus().length, rssBy: hasTime ? '/usr/bin/time -f %M' : '/proc VmHWM polling' };
}

/**
 * Builds Gantry into bench/tmp/gantry with its own bin, package.json and schemas, so other
 * people rebuilding dist/ at the same time cannot break a run half-way.
 */
function buildGantry() {
  log('building Gantry into bench/tmp/gantry …');
  const outDir = join(GANTRY_HOME, 'dist');
  const tsc = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', join(ROOT, 'tsconfig.json'), '--outDir', outDir, '--declaration', 'false', '--sourceMap', 'false'], { cwd: ROOT, encoding: 'utf8' });
  if (tsc.status !== 0) {
    // tsc still emits on type errors; a half-edited tree elsewhere should not stop the benchmark.
    if (!existsSync(join(outDir, 'cli', 'main.js'))) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
    log(`tsc reported errors but emitted (someone is editing src/?):\n${tsc.stdout.split('\n').slice(0, 5).join('\n')}`);
  }
  cpSync(join(ROOT, 'package.json'), join(GANTRY_HOME, 'package.json'));
  cpSync(join(ROOT, 'schemas'), join(GANTRY_HOME, 'schemas'), { recursive: true });
  mkdirSync(join(GANTRY_HOME, 'bin'), { recursive: true });
  const bin = join(GANTRY_HOME, 'bin', 'gantry');
  cpSync(join(ROOT, 'bin', 'gantry'), bin);
  chmodSync(bin, 0o755);
  // bin/package.json makes bin/gantry CommonJS (it requires the bundled launcher); without it the
  // copy would be read as an ES module and fail at `require`.
  if (existsSync(join(ROOT, 'bin', 'package.json'))) cpSync(join(ROOT, 'bin', 'package.json'), join(GANTRY_HOME, 'bin', 'package.json'));
  // The bundle and its code cache, as `npm run build` makes them: what bin/gantry runs.
  const bundle = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), '--dist', outDir], { cwd: ROOT, encoding: 'utf8' });
  if (bundle.status !== 0) throw new Error(`scripts/bundle.mjs failed:\n${bundle.stdout}${bundle.stderr}`);
  return bin;
}

/** @template T @param {readonly T[]} list @param {number} by */
function rotate(list, by) {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

function fmtLoad(/** @type {number[]} */ l) {
  return l.map((x) => x.toFixed(2)).join(', ');
}

/** @param {any} r */
function renderMarkdown(r) {
  return `# Benchmark results

Generated by \`npm run bench\` (bench/run.mjs) on ${r.date}${r.quick ? ' with `--quick`' : ''}: ${r.reps} repetition(s) per stack, tools interleaved and their order rotated each repetition; start-up and config take at least 5 samples. Cells are median (min–max). Ratios are of medians.

- Machine: ${r.cpus} CPUs; load average (1, 5, 15 min) ${fmtLoad(r.loadBefore)} before, ${fmtLoad(r.loadAfter)} after${r.loadBefore[0] > r.cpus ? ' — **the machine was loaded by other work; absolute times are inflated, ratios less so**' : ''}.
- Node ${r.node}; engine ${r.engine}; ${r.compose ?? 'docker-compose not installed'}; peak RSS by ${r.rssBy}.
- Stacks (bench/gen-stacks.mjs, image ${IMAGE}, \`sleep\` with \`init: true\`): flat10, flat30 (independent, a named volume on every tenth), layers30 (three layers of ten, each depending on all of the previous layer), health30 (layers30 with a 1 s healthcheck and \`condition: service_healthy\`), model100 (100 services, \`config -q\` only).
- raw (bench/raw.mjs) is the lower bound: only the API calls strictly needed, unlimited concurrency, health followed through one event stream, down by forced removal. For \`config -q\` it only parses the YAML; for \`--version\` it is node's own start-up.
- What misses and why, and what was changed: bench/README.md.

${r.table}
${r.cpuTable ? `## CPU time of each tool's own process (user + system, median)\n\nWall time above includes waiting for the engine and for a busy machine; this is the client's own work.\n\n${r.cpuTable}\n` : ''}${r.callsTable ? `## Engine API calls per operation (one pass through a counting proxy)\n\n${r.callsTable}` : ''}`;
}

/** Re-renders results.md from results.json (after a change to the report's format). */
function reportOnly() {
  const results = JSON.parse(readFileSync(join(HERE, 'results.json'), 'utf8'));
  const table = renderTable(summarize(results.samples));
  writeFileSync(join(HERE, 'results.md'), renderMarkdown({ ...results, table, cpuTable: renderCpuTable(results.samples), callsTable: renderCalls(results.calls) }));
  process.stdout.write(table);
}

if (flags['report-only']) {
  reportOnly();
  process.exit(0);
}

main().then(
  async () => { await cleanupAll(); removeScratch(); },
  async (error) => {
    log(`bench: ${error instanceof Error ? error.message : error}`);
    await cleanupAll();
    removeScratch();
    process.exitCode = 1;
  },
);
