// Hints as a specification: each fixture directory holds a compose.yaml with a common mistake
// (the hint must point at its line, with a fix) and a fixed.yaml with the correction (no hint).
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findHints, hintsEnabled, imageBaseName, type HintCode } from '../../src/model/hints.js';
import { unbracedVariables } from '../../src/model/hints-yaml.js';
import { loadProject } from '../../src/model/load.js';

const fixtures = resolve(import.meta.dirname, '../fixtures/hints');

function hintsOf(dir: string, file: string, env: Record<string, string> = {}) {
  const cwd = resolve(fixtures, dir);
  const loaded = loadProject({ cwd, env, homeDir: homedir(), files: [resolve(cwd, file)] });
  return findHints(loaded.project, loaded.sources, { lookup: (name) => env[name] });
}

interface HintCase {
  readonly code: HintCode;
  /** Each expected hint: its line, and words its message and its fix must hold. */
  readonly expected: readonly { readonly line: number; readonly message: string; readonly fix: string }[];
}

const CASES: readonly HintCase[] = [
  { code: 'obsolete-version', expected: [{ line: 1, message: '`version:` is obsolete', fix: 'delete the `version:` line' }] },
  {
    code: 'localhost-service', expected: [
      { line: 5, message: '"localhost:8080" points at the web container itself, not at service "api"', fix: 'use the service name: api:80' },
      { line: 6, message: '"127.0.0.1:6379" points at the web container itself, not at service "cache"', fix: 'use the service name: cache:6379' },
    ],
  },
  { code: 'host-docker-internal', expected: [{ line: 5, message: 'uses host.docker.internal', fix: 'extra_hosts: ["host.docker.internal:host-gateway"]' }] },
  {
    code: 'database-without-volume', expected: [
      { line: 3, message: 'runs mysql but no named volume or bind mount holds /var/lib/mysql', fix: 'volumes: ["db-data:/var/lib/mysql"]' },
      { line: 7, message: 'runs redis but no named volume or bind mount holds /data', fix: 'volumes: ["cache-data:/data"]' },
    ],
  },
  { code: 'missing-bind-source', expected: [{ line: 5, message: 'not-there does not exist: the engine creates it as an empty directory owned by root', fix: 'mkdir -p' }] },
  { code: 'base-60-port', expected: [{ line: 5, message: 'read it as the base-60 number 133342', fix: 'quote it: "2222:22"' }] },
  {
    code: 'bare-dollar', expected: [
      { line: 5, message: '"$word" is replaced by Compose, before the container starts, with an empty string', fix: 'write $$ for a literal dollar sign ($$word)' },
      { line: 6, message: '"$HOME" is replaced by Compose', fix: 'write $$HOME so the container\'s shell expands it' },
    ],
  },
  { code: 'depends-on-healthcheck', expected: [{ line: 4, message: 'waits only for "db" to start, though "db" has a healthcheck', fix: 'condition: service_healthy' }] },
  {
    code: 'interactive-shell', expected: [
      { line: 4, message: 'runs an interactive shell (sh) without tty or stdin_open', fix: 'tty: true and stdin_open: true' },
      { line: 6, message: 'runs alpine, whose default command is a shell', fix: 'long-running command' },
    ],
  },
];

describe('hints', () => {
  for (const c of CASES) {
    it(`${c.code}: found at its line with a fix, and gone once fixed`, () => {
      const found = hintsOf(c.code, 'compose.yaml').filter((h) => h.code === c.code);
      expect(found.map((h) => h.line)).toEqual(c.expected.map((e) => e.line));
      found.forEach((hint, i) => {
        expect(hint.file).toBe(resolve(fixtures, c.code, 'compose.yaml'));
        expect(hint.message).toContain(c.expected[i]?.message);
        expect(hint.hint).toContain(c.expected[i]?.fix);
      });
      expect(hintsOf(c.code, 'fixed.yaml')).toEqual([]);
    });
  }

  it('has a fixture for every kind of hint', () => {
    const codes: HintCode[] = ['obsolete-version', 'localhost-service', 'host-docker-internal', 'database-without-volume', 'missing-bind-source', 'base-60-port', 'bare-dollar', 'depends-on-healthcheck', 'interactive-shell'];
    expect(CASES.map((c) => c.code).sort()).toEqual([...codes].sort());
  });

  it('says nothing about a $NAME whose variable is set, outside a command', () => {
    expect(hintsOf('bare-dollar', 'compose.yaml', { word: 'x' }).map((h) => h.line)).toEqual([6]);
  });

  it('stays quiet for localhost when the service shares another\'s network namespace', () => {
    const cwd = resolve(fixtures, 'localhost-service');
    const loaded = loadProject({ cwd, env: {}, homeDir: homedir(), files: [resolve(cwd, 'compose.yaml')] });
    const web = loaded.project.services.web;
    if (web === undefined) throw new Error('fixture');
    const project = { ...loaded.project, services: { ...loaded.project.services, web: { ...web, networkMode: 'service:api', networks: {} } } };
    expect(findHints(project, loaded.sources).filter((h) => h.code === 'localhost-service')).toEqual([]);
  });

  it('is turned off by --quiet-hints or GANTRY_HINTS=0', () => {
    expect(hintsEnabled({}, undefined)).toBe(true);
    expect(hintsEnabled({}, true)).toBe(false);
    for (const off of ['0', 'false', 'off', 'no']) expect(hintsEnabled({ GANTRY_HINTS: off }, undefined)).toBe(false);
    expect(hintsEnabled({ GANTRY_HINTS: '1' }, undefined)).toBe(true);
  });

  it('reads image names and unbraced variables the way the rules need', () => {
    expect(imageBaseName('docker.io/library/postgres:16@sha256:abc')).toBe('postgres');
    expect(imageBaseName('registry:5000/team/mariadb')).toBe('mariadb');
    expect(unbracedVariables('a $A ${B} $$C $ $1 $_d')).toEqual(['A', '_d']);
  });
});
