// What bin/gantry runs: the bundled CLI (dist/bundle/gantry.cjs, made by scripts/bundle.mjs),
// compiled from V8's code cache when one matches, else the unbundled dist/cli/main.js (a build by
// tsc alone). Compiling the bundle from the cache instead of resolving and compiling ~150 modules
// is most of what separates a quick command (ps, config, a no-op up) from node's own start-up.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

type Main = (argv: readonly string[]) => Promise<void>;

export async function launch(argv: readonly string[]): Promise<void> {
  // --debug prints stacks: run the unbundled modules, whose source maps point into src/ (node
  // applies source maps to modules it loads, not to a script compiled through node:vm).
  if (argv.includes('--debug')) {
    process.setSourceMapsEnabled(true);
    return (await importMain()).main(argv);
  }
  const main = loadBundle(fileURLToPath(new URL('../bundle/gantry.cjs', import.meta.url))) ?? (await importMain()).main;
  await main(argv);
}

/**
 * The unbundled CLI, by URL: this module also runs bundled as dist/bundle/launch.cjs (so bin/gantry
 * starts without node's ES module loader), where import.meta.url still names dist/cli/launch.js.
 */
function importMain(): Promise<{ main: Main }> {
  return import(new URL('./main.js', import.meta.url).href) as Promise<{ main: Main }>;
}

/**
 * Runs the bundle as CommonJS would, with the code cache; undefined when there is no bundle.
 * `atExit` is where the cache gets written (the process's exit, unless a test says otherwise).
 */
export function loadBundle(file: string, atExit: (work: () => void) => void = (work) => process.once('exit', work)): Main | undefined {
  let source: string;
  try {
    // scripts/bundle.mjs writes ASCII only: latin1 makes a one-byte string without decoding.
    source = readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
  const cacheFile = cacheFileFor(file, process.execArgv);
  const cachedData = readOptional(cacheFile);
  const script = new Script(Module.wrap(source), { filename: file, ...(cachedData === undefined ? {} : { cachedData }) });
  // A missing cache, or one V8 rejects (another Node version or V8 flags), is written anew at exit,
  // when the functions this run compiled are in it too.
  if (cachedData === undefined || script.cachedDataRejected === true) atExit(() => writeCache(script, cacheFile));
  const exports: { main?: Main } = {};
  const cjsModule = { exports };
  const wrapper = script.runInThisContext() as (e: object, r: NodeJS.Require, m: object, f: string, d: string) => void;
  wrapper.call(exports, exports, createRequire(file), cjsModule, file, dirname(file));
  const main = cjsModule.exports.main;
  if (typeof main !== 'function') throw new Error(`${file} does not export main(): rebuild with npm run build`);
  return main;
}

/**
 * V8 accepts a cache only under the flags it was made with, so a run with node flags of its own
 * (--cpu-prof, --inspect …) keeps a cache of its own instead of replacing the everyday one.
 */
export function cacheFileFor(file: string, execArgv: readonly string[]): string {
  if (execArgv.length === 0) return `${file}.cache`;
  return `${file}.${fnv1a(execArgv.join('\0'))}.cache`;
}

/**
 * 12 hex digits (FNV-1a, 48 bits): names a cache, nothing secret, and node:crypto would cost
 * a few milliseconds of every start to load.
 */
function fnv1a(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) hash = BigInt.asUintN(64, (hash ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n);
  return (hash & 0xffffffffffffn).toString(16).padStart(12, '0');
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Best effort: a read-only install keeps working without a cache. Renamed into place, so a
 * concurrent run reads either the old file or the whole new one. */
function writeCache(script: Script, file: string): void {
  const temporary = `${file}.${process.pid}`;
  try {
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, file);
  } catch {
    rmSync(temporary, { force: true });
  }
}
