// How `up` and `plan` read images for the bind-mount hint, on the fake engine: only images behind
// bind mounts, only ones present (never a pull), nothing at all with hints off or without bind
// mounts, and an engine failure costs the hint, never the command.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImageHints } from '../../src/cli/image-hints.js';
import type { GlobalOptions } from '../../src/cli/options.js';
import { loadProject } from '../../src/model/load.js';
import { createFakeEngine } from '../support/fake-engine.js';

const fixture = resolve(import.meta.dirname, '../fixtures/hints/bind-hides-image');
const loaded = loadProject({ cwd: fixture, env: {}, homeDir: homedir(), files: [resolve(fixture, 'compose.yaml')] });
const global: GlobalOptions = { progress: 'quiet', debug: false, ansi: 'never' };
const site = { steps: ['/bin/sh -c #(nop) COPY dir:d31c763a2d97e990a10e2bacb92d591ea99f40558170d581e3e8c0c509bc93f8 in /srv/site '], workingDir: '', volumes: [] };
const signal = new AbortController().signal;

describe('readImageHints', () => {
  it('reads the present images behind bind mounts, and pulls none', async () => {
    const engine = createFakeEngine({ images: ['example/site:1'], imageHistories: { 'example/site:1': site } });
    const hints = await readImageHints(global, loaded, engine, signal);
    expect(hints.map((h) => [h.code, h.line])).toEqual([['bind-hides-image', 7]]);
    expect(engine.calls.map((c) => `${c.operation} ${c.resource}`).sort()).toEqual(['imageHistory example/node-app:1', 'imageHistory example/not-pulled:1', 'imageHistory example/site:1']);
  });

  it('asks nothing with --quiet-hints, or when no service has a bind mount', async () => {
    const engine = createFakeEngine({ images: ['example/site:1'], imageHistories: { 'example/site:1': site } });
    expect(await readImageHints({ ...global, quietHints: true }, loaded, engine, signal)).toEqual([]);
    const services = Object.fromEntries(Object.entries(loaded.project.services).map(([k, s]) => [k, { ...s, mounts: [] }]));
    expect(await readImageHints(global, { ...loaded, project: { ...loaded.project, services } }, engine, signal)).toEqual([]);
    expect(engine.calls).toEqual([]);
  });

  it('gives no hint, and does not fail, when the engine does', async () => {
    const engine = createFakeEngine({ images: ['example/site:1'], imageHistories: { 'example/site:1': site }, failOn: [{ operation: 'imageHistory', statusCode: 500, message: 'boom' }] });
    expect(await readImageHints(global, loaded, engine, signal)).toEqual([]);
  });
});
