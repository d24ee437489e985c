// Bundles tsc's output (dist/) into one CommonJS file, dist/bundle/gantry.cjs, and warms V8's code
// cache for it (dist/bundle/gantry.cjs.cache), which src/cli/launch.ts loads at start-up.
//
// Why: unbundled, every command resolved and compiled ~150 ES modules (ours and the packages')
// before doing any work — ~40 % of `gantry ps`'s CPU time on a small project. One CommonJS file
// can be compiled from V8's code cache (ES modules cannot be on Node 20), and lazy imports become
// functions that are compiled but not run until a command needs them.
//
// Usage: node scripts/bundle.mjs [--dist DIR]   (default: dist/ of this repository; run tsc first)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { checksum } from './gen-schema-validator.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--dist');
const dist = at < 0 ? join(ROOT, 'dist') : resolve(process.argv[at + 1] ?? '');
const entry = join(dist, 'cli', 'main.js');
const outfile = join(dist, 'bundle', 'gantry.cjs');
const launcher = join(dist, 'bundle', 'launch.cjs');

/** What the bundle's lazy requires return: the module itself as soon as anything is asked of it. */
const lazyRequire = `function __gantryLazy(id) {
  let loaded;
  const load = () => (loaded ??= require(id));
  return new Proxy({}, {
    get: (_, key) => load()[key],
    has: (_, key) => key in load(),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_, key) => { const d = Reflect.getOwnPropertyDescriptor(load(), key); return d && { ...d, configurable: true }; },
  });
}`;

if (!existsSync(entry)) {
  process.stderr.write(`bundle: ${entry} is missing; run tsc first (npm run build does both)\n`);
  process.exit(1);
}

// The bundle skips validate.ts's check that the precompiled validator matches the schema (reading
// and summing 75 kB at every start): it is checked here, once, instead.
const validatorText = readFileSync(join(dist, '..', 'schemas', 'compose-spec-validator.js'), 'utf8');
const recorded = /SCHEMA_CHECKSUM = '([^']*)'/.exec(validatorText)?.[1];
if (recorded !== checksum(readFileSync(join(dist, '..', 'schemas', 'compose-spec.json'), 'utf8'))) {
  process.stderr.write('bundle: schemas/compose-spec-validator.js does not match schemas/compose-spec.json: run node scripts/gen-schema-validator.mjs\n');
  process.exit(1);
}

await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // The bundle sits one directory below dist/, like dist/cli/main.js, so the relative URLs the
  // code builds from import.meta.url (../../package.json, ../../schemas/…) still resolve.
  define: { 'import.meta.url': '__gantryBundleUrl', __gantrySchemaVerified: 'true' },
  banner: { js: `const __gantryBundleUrl = require('node:url').pathToFileURL(__filename).href;\n${lazyRequire}` },
  sourcemap: 'linked',
  // Comments out (licences kept at the end): less to read at every start.
  minifyWhitespace: true,
  legalComments: 'eof',
  logLevel: 'warning',
});

// The launcher as CommonJS too, so that bin/gantry starts without node's ES module loader. It
// finds the bundle and dist/cli/main.js through import.meta.url: it keeps naming dist/cli/launch.js.
await build({
  entryPoints: [join(dist, 'cli', 'launch.js')],
  outfile: launcher,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  define: { 'import.meta.url': '__gantryLaunchUrl' },
  banner: { js: "const __gantryLaunchUrl = require('node:url').pathToFileURL(require('node:path').join(__dirname, '..', 'cli', 'launch.js')).href;" },
  logLevel: 'warning',
});
if (/require\("\.\.?\//.test(readFileSync(launcher, 'utf8'))) throw new Error(`${launcher} requires a module of its own: it must hold only the launcher`);

// Node's own modules that most commands never use are required on first use instead of when the
// bundle starts: commander alone requires child_process (and with it net and dgram) for
// subcommands Gantry does not have, and `config` needs neither crypto nor http. ~10 ms of CPU.
const source = readFileSync(outfile, 'utf8');
const lazy = source.replace(/(?<![\w$.(])require\("node:(child_process|crypto|net|http|https|tls|readline|fs\/promises|querystring|string_decoder|dgram|zlib)"\)/g,
  (_, name) => `__gantryLazy("node:${name}")`);
if (/__toESM\(__gantryLazy/.test(lazy)) throw new Error('a lazily required module is imported as a namespace: leave it out of the lazy list');
// ASCII only, so launch.ts can read the bundle as latin1 into a one-byte string: a single µ in a
// regular expression made node decode all 1.8 MB as two-byte UTF-16, ~6 ms of every start.
if (/\\[^\x00-\x7f]/.test(lazy)) throw new Error('a non-ASCII character follows a backslash in the bundle: write it as \\u escape in src/');
const ascii = lazy.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
writeFileSync(outfile, ascii);

// A script run from the code cache has no loader for import(): everything must be bundled or
// required (esbuild leaves import() of node's own modules in place, so import those statically).
const dynamic = /[^\w$.]import\(\s*["'`]([^"'`]+)/.exec(readFileSync(outfile, 'utf8'));
if (dynamic !== null) throw new Error(`${outfile} still imports ${dynamic[1]} with import(): import it statically in src/`);

// Warm the code cache with a command that runs the whole model: the cache then holds the compiled
// loader, validator and YAML parser, not only the top level. launch.ts rewrites a cache V8 rejects
// (another Node version) on the next run.
for (const name of readdirSync(dirname(outfile))) if (name.endsWith('.cache')) rmSync(join(dirname(outfile), name), { force: true });
const scratch = mkdtempSync(join(tmpdir(), 'gantry-bundle-'));
try {
  writeFileSync(join(scratch, 'compose.yaml'), WARM_UP_FILE());
  // As bin/gantry runs it (no node flags of its own), so the cache lands where everyday runs look.
  const bin = join(dist, '..', 'bin', 'gantry');
  const warm = spawnSync(process.execPath, ['--', bin, 'config', '-q'], { cwd: scratch, encoding: 'utf8', env: { ...process.env, GANTRY_HINTS: '0' } });
  if (warm.status !== 0) throw new Error(`warming the code cache failed (exit ${warm.status}):\n${warm.stderr}`);
  if (!existsSync(`${outfile}.cache`)) throw new Error('warming the code cache wrote no cache file');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/** Block YAML the fast path reads (yaml-fast-path.ts), so yaml's own parser stays out of the cache. */
function WARM_UP_FILE() {
  return `name: warm-up
services:
  web:
    image: example/web:1
    ports:
      - "127.0.0.1:8080:80"
    environment:
      MODE: \${MODE:-dev}
      RETRIES: 3
    depends_on:
      db:
        condition: service_healthy
    volumes:
      - data:/srv
      - ./site:/usr/share/site:ro
    command: ["serve", '--port', "80"]
  db:
    image: example/db:1  # a comment
    healthcheck:
      test: ["CMD", "true"]
      interval: 1s
    entrypoint: |
      sh -c 'exec db'
volumes:
  data: {}
`;
}
