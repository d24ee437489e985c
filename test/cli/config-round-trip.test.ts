// Specification: `gantry config` output is a compose file that loads again to the same model, so
// printing it again gives the same text (the canonical form is a fixed point). In process over the
// whole corpus, and through the CLI (file on disk, YAML and JSON) on a few stacks.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatModel } from '../../src/cli/commands/config.js';
import { ConfigError } from '../../src/errors.js';
import { loadProject } from '../../src/model/load.js';
import { assertBuilt, createTempDirs, CLI_TIMEOUT, REPO_ROOT, runCliOk } from '../support/cli.js';

interface Entry {
  readonly file: string;
  readonly expect: 'valid' | 'invalid';
  readonly role?: string;
}

const corpus = resolve(REPO_ROOT, '../shared/corpus');
const manifest: Entry[] = existsSync(join(corpus, 'manifest.json')) ? (JSON.parse(readFileSync(join(corpus, 'manifest.json'), 'utf8')) as Entry[]) : [];
const tempDir = createTempDirs();
const stacks = manifest.filter((e) => e.expect === 'valid' && e.role === undefined).map((e) => join(corpus, e.file));

/** Loads compose text (the previous output) as `gantry -f - config` would, from the stack's directory. */
function loadText(text: string, cwd: string) {
  return loadProject({ files: ['-'], readStdin: () => text, cwd, env: {}, homeDir: '/home/user', projectName: 'roundtrip' });
}

function loadFile(file: string) {
  try {
    return loadProject({ files: [file], cwd: dirname(file), env: {}, homeDir: '/home/user', projectName: 'roundtrip' });
  } catch (error) {
    // Stacks that need flags or variables to load are the conformance test's business.
    if (error instanceof ConfigError) return undefined;
    throw error;
  }
}

describe.skipIf(stacks.length === 0)('config output of every valid corpus stack, loaded again', () => {
  it.each(['yaml', 'json'] as const)('prints the same %s a second time', (format) => {
    let compared = 0;
    for (const file of stacks) {
      const first = loadFile(file);
      if (first === undefined) continue;
      const text = formatModel(first.project, format);
      const again = formatModel(loadText(text, dirname(file)).project, format);
      expect(again, file.slice(corpus.length + 1)).toBe(text);
      compared += 1;
    }
    // Most of the corpus loads without flags; a collapse here means the loop above tested little.
    expect(compared).toBeGreaterThanOrEqual(100);
  });
});

describe.concurrent('gantry config → file → gantry -f file config', { timeout: CLI_TIMEOUT }, () => {
  beforeAll(assertBuilt);

  const SAMPLES = [
    resolve(REPO_ROOT, 'examples/demo/compose.yaml'),
    join(corpus, 'awesome-compose/nginx-golang-mysql/compose.yaml'),
    join(corpus, 'awesome-compose/minecraft/compose.yaml'),
    join(corpus, 'awesome-compose/react-express-mongodb/compose.yaml'),
  ].filter((file) => existsSync(file));

  it.each(SAMPLES.flatMap((file) => (['yaml', 'json'] as const).map((format) => [`${basename(dirname(file))} (${format})`, file, format] as const)))(
    '%s loads again to identical output',
    async (_name, file, format) => {
      const out = join(tempDir(), `out.${format}`);
      const first = await runCliOk(['-f', basename(file), 'config', '--format', format, '-o', out], { cwd: dirname(file) });
      expect(first.stdout).toBe('');
      const again = await runCliOk(['-f', out, '--project-directory', dirname(file), 'config', '--format', format], { cwd: dirname(file) });
      expect(again.stdout).toBe(readFileSync(out, 'utf8'));
    },
  );

  it('has samples to compare', () => {
    expect(SAMPLES.length).toBeGreaterThanOrEqual(1);
  });
});
