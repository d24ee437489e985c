// Conformance: every file of the shared corpus gets the verdict its manifest gives.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { interpolateTree } from '../../src/model/interpolate.js';
import { loadProject } from '../../src/model/load.js';
import { readSource } from '../../src/model/source.js';
import { validateTree } from '../../src/model/validate.js';

interface Entry {
  readonly file: string;
  readonly source: string;
  readonly expect: 'valid' | 'invalid';
  readonly why: string;
  readonly interpolates?: boolean;
  readonly role?: string;
}

const corpus = resolve(import.meta.dirname, '../../../shared/corpus');
const manifest: Entry[] = existsSync(join(corpus, 'manifest.json')) ? (JSON.parse(readFileSync(join(corpus, 'manifest.json'), 'utf8')) as Entry[]) : [];

/**
 * How some stacks are used by the test suites they come from: the services named on the command
 * line, or the variables set in the environment.
 */
const USAGE: Record<string, { services?: string[]; env?: Record<string, string> }> = {
  // docker compose's e2e test runs `up serviceA`: serviceB's missing env_file must not matter then.
  'compose-e2e/env_file/compose.yaml': { services: ['serviceA'] },
  'compose-e2e/logs-test/cat.yaml': { env: { FILE: './compose.yaml' } },
};

/**
 * Files where Gantry's verdict differs from the manifest's schema-only one, with the reason and
 * the error Gantry gives instead.
 */
const DISAGREEMENTS: Record<string, { reason: string; error: RegExp }> = {
  'compose-go/loader/testdata/compose-depends-on-profile-no-cycle.yaml': {
    reason: 'service1 → service2 → service3 → service1 is a real depends_on cycle, which docker compose rejects too',
    error: /dependency cycle: service1 → service2 → service3 → service1/,
  },
  'compose-go/loader/testdata/remote/cycle/compose.yaml': {
    reason: '`remote:` paths need compose-go\'s test-only resource loader; for Gantry they are missing files',
    error: /cannot read .*remote:cycle/,
  },
  'compose-go/loader/testdata/remote/cycle/compose-cycle.yaml': {
    reason: '`remote:` paths need compose-go\'s test-only resource loader; for Gantry they are missing files',
    error: /cannot read .*remote:cycle/,
  },
  'compose-go/loader/testdata/remote/nested/compose.yaml': {
    reason: '`remote:` paths need compose-go\'s test-only resource loader; for Gantry they are missing files',
    error: /cannot read .*remote:nested/,
  },
};

/** Loads a whole stack as `gantry config` would, with the .env beside it and no shell variables. */
function loadStack(file: string) {
  const usage = USAGE[file.slice(corpus.length + 1)] ?? {};
  return loadProject({ files: [file], cwd: dirname(file), env: usage.env ?? {}, homeDir: '/home/user', projectName: 'conformance', ...(usage.services ? { services: usage.services } : {}) });
}

function loadError(file: string): ConfigError {
  try {
    loadStack(file);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`${file} loaded without error`);
}

/** A fragment or override is checked alone: parse, interpolate and validate against the schema. */
function checkFragment(file: string): string[] {
  try {
    const source = readSource(file);
    const interpolated = interpolateTree(source, source.tree, () => undefined);
    return [...interpolated.issues, ...validateTree(source, interpolated.tree)].map((i) => i.message);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => i.message);
    throw error;
  }
}

describe.skipIf(manifest.length === 0)('conformance corpus', () => {
  const stacks = manifest.filter((e) => e.role !== 'fragment-or-override');
  const fragments = manifest.filter((e) => e.role === 'fragment-or-override');

  it(`has files to check (${stacks.length} stacks, ${fragments.length} fragments)`, () => {
    console.log(`conformance: ${stacks.length} stacks and ${fragments.length} fragments from ${corpus}`);
    expect(manifest.length).toBeGreaterThan(100);
  });

  const agreed = stacks.filter((e) => !(e.file in DISAGREEMENTS));

  it.each(agreed.filter((e) => e.expect === 'valid').map((e) => [e.file]))('loads %s', (file) => {
    const { project } = loadStack(join(corpus, file));
    // Loading is the verdict; these invariants of a loaded project must hold as well.
    for (const service of Object.values(project.services)) {
      expect(service.image).not.toBe('');
      for (const network of Object.keys(service.networks)) expect(project.networks).toHaveProperty([network]);
      for (const dep of service.dependsOn) if (dep.required) expect(project.services).toHaveProperty([dep.service]);
    }
  });

  it.each(agreed.filter((e) => e.expect === 'invalid').map((e) => [e.file, e.why]))('rejects %s (%s)', (file) => {
    const path = join(corpus, file);
    const issues = loadError(path).issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.some((i) => i.file === path && i.line > 0)).toBe(true);
  });

  it.each(Object.entries(DISAGREEMENTS).map(([file, d]) => [file, d.reason, d.error]))('%s: %s', (file, _reason, error) => {
    expect(manifest.some((e) => e.file === file)).toBe(true);
    const messages = loadError(join(corpus, file)).issues.map((i) => i.message).join('\n');
    expect(messages).toMatch(error);
  });

  it.each(fragments.map((e) => [e.file, e.expect]))('fragment %s is %s alone', (file, verdict) => {
    const messages = checkFragment(join(corpus, file));
    if (verdict === 'valid') expect(messages).toEqual([]);
    else expect(messages.length).toBeGreaterThan(0);
  });
});
