// The start-up path of bin/gantry: the bundle is run as CommonJS from V8's code cache, the cache is
// written when missing or rejected, and no bundle means the unbundled CLI.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheFileFor, loadBundle } from '../../src/cli/launch.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-launch-'));
  dirs.push(dir);
  return dir;
}

const BUNDLE = `exports.main = async (argv) => { globalThis.__gantryLaunchSaw = [...argv, __filename.endsWith('b.cjs'), typeof require('node:path').join]; };\n`;

describe('loadBundle', () => {
  it('is undefined without a bundle (bin/gantry then runs dist/cli/main.js)', () => {
    expect(loadBundle(join(scratch(), 'missing.cjs'))).toBeUndefined();
  });

  it('runs the bundle as a CommonJS module and hands back its main()', async () => {
    const file = join(scratch(), 'b.cjs');
    writeFileSync(file, BUNDLE);
    const main = loadBundle(file);
    await main?.(['ps', '-q']);
    expect((globalThis as { __gantryLaunchSaw?: unknown }).__gantryLaunchSaw).toEqual(['ps', '-q', true, 'function']);
  });

  it('writes the code cache at exit when there is none or V8 rejects it, and uses it next time', () => {
    const file = join(scratch(), 'b.cjs');
    writeFileSync(file, BUNDLE);
    const atExit: (() => void)[] = [];
    loadBundle(file, (work) => atExit.push(work));
    expect(atExit).toHaveLength(1);
    atExit.splice(0).forEach((work) => work());
    // Named for this process's node flags (a test runner's worker has some).
    const cache = cacheFileFor(file, process.execArgv);
    expect(existsSync(cache)).toBe(true);

    loadBundle(file, (work) => atExit.push(work));
    expect(atExit).toHaveLength(0);

    // A rebuilt bundle: the old cache no longer matches its source, so V8 rejects it.
    const stale = readFileSync(cache);
    writeFileSync(file, `${BUNDLE}// rebuilt\n`);
    loadBundle(file, (work) => atExit.push(work));
    expect(atExit).toHaveLength(1);
    atExit.splice(0).forEach((work) => work());
    expect(readFileSync(cache).equals(stale)).toBe(false);
  });

  it('refuses a bundle without main() with a message that says how to fix it', () => {
    const file = join(scratch(), 'b.cjs');
    writeFileSync(file, 'exports.other = 1;\n');
    expect(() => loadBundle(file)).toThrow(/does not export main\(\): rebuild with npm run build/);
  });
});

describe('cacheFileFor', () => {
  it('keeps everyday runs on one cache and gives runs with node flags their own', () => {
    expect(cacheFileFor('/d/gantry.cjs', [])).toBe('/d/gantry.cjs.cache');
    const profiled = cacheFileFor('/d/gantry.cjs', ['--cpu-prof']);
    expect(profiled).toMatch(/^\/d\/gantry\.cjs\.[0-9a-f]{12}\.cache$/);
    expect(cacheFileFor('/d/gantry.cjs', ['--cpu-prof'])).toBe(profiled);
    expect(cacheFileFor('/d/gantry.cjs', ['--inspect'])).not.toBe(profiled);
  });
});
