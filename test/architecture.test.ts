// The layering the architecture guide asks for, checked on the import graph of src/: the model and
// the plan stay pure, dockerode stays behind one module, and the quick commands load nothing heavy.
import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSources, loadGraph, packageOf, scanSource, type LoadGraph } from './support/imports.js';

const root = resolve(import.meta.dirname, '..');
const src = (path: string): string => resolve(root, 'src', path);
const rel = (file: string): string => relative(root, file);
const pure = [...listSources(src('model')), ...listSources(src('plan'))];

const FORBIDDEN_IN_PURE = new Set(['dockerode', 'docker-modem', 'listr2', 'node:child_process', 'child_process']);
const DOCKERODE_HOMES = new Set([src('engine/ssh-transport.ts')]);

describe('src/model and src/plan are pure', () => {
  it('scans a real set of files', () => {
    expect(pure.map(rel)).toEqual(expect.arrayContaining(['src/model/load.ts', 'src/plan/plan.ts']));
  });

  it('import neither dockerode, listr2 nor node:child_process, not even as types or lazily', () => {
    const found = pure.flatMap((file) => scanSource(file).imports.filter((i) => FORBIDDEN_IN_PURE.has(packageOf(i.specifier))).map((i) => `${rel(file)} imports ${i.specifier}`));
    expect(found).toEqual([]);
  });

  it('never write to process.stdout or process.stderr (warnings are returned, progress is events)', () => {
    const found = pure.flatMap((file) => scanSource(file).stdio.map((use) => `${rel(file)}:${use}`));
    expect(found).toEqual([]);
  });

  it('use src/engine only for the types of engine.ts', () => {
    const found = pure.flatMap((file) => scanSource(file).imports
      .filter((i) => i.target?.startsWith(src('engine/')) && !(i.typeOnly && i.target === src('engine/engine.ts')))
      .map((i) => `${rel(file)} imports ${i.specifier}${i.typeOnly ? ' (types)' : ''}`));
    expect(found).toEqual([]);
  });
});

describe('dockerode', () => {
  it('and its transport docker-modem are imported only by ssh-transport.ts (ssh:// endpoints), even for types', () => {
    const importers = listSources(src('')).filter((file) => scanSource(file).imports.some((i) => ['dockerode', 'docker-modem'].includes(packageOf(i.specifier))));
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((file) => !DOCKERODE_HOMES.has(file)).map(rel)).toEqual([]);
  });
});

describe('what the quick commands load at start-up', () => {
  /** The engine modules, the progress display and the packages behind them. */
  const heavy = (graph: LoadGraph): string[] => [
    ...['dockerode', 'docker-modem', 'listr2'].filter((p) => graph.packages.has(p)).map((p) => `${p}, via ${(graph.packages.get(p) ?? []).join(' → ')}`),
    ...[...graph.files.keys()].filter((f) => f.startsWith('src/engine/') || f === 'src/ui/listr-view.ts').map((f) => `${f}, via ${(graph.files.get(f) ?? []).join(' → ')}`),
  ];

  it('the scan follows imports through local files into packages (so an empty result below means something)', () => {
    const config = loadGraph([src('cli/main.ts'), src('cli/commands/config.ts')], root);
    expect(config.files.get('src/model/source.ts')).toEqual(expect.arrayContaining(['src/cli/commands/config.ts', 'src/model/load.ts']));
    expect(config.packages.has('yaml')).toBe(true);
    expect(heavy(loadGraph([src('ui/listr-view.ts')], root))).toEqual([expect.stringMatching(/^listr2, via/), expect.stringMatching(/^src\/ui\/listr-view\.ts, via/)]);
  });

  it('`gantry --version` and `gantry version` (main.ts) load no engine module, dockerode or listr2', () => {
    expect(heavy(loadGraph([src('cli/main.ts')], root))).toEqual([]);
  });

  it('`gantry config` (main.ts, then commands/config.ts) loads no engine module, dockerode or listr2', () => {
    expect(heavy(loadGraph([src('cli/main.ts'), src('cli/commands/config.ts')], root))).toEqual([]);
  });

  it('engine commands load docker-modem (and ssh2) only for ssh:// endpoints, through a lazy import', () => {
    const engine = loadGraph([src('engine/docker-engine.ts')], root);
    expect(engine.files.has('src/engine/http-transport.ts')).toBe(true);
    expect(['dockerode', 'docker-modem', 'ssh2'].filter((p) => engine.packages.has(p))).toEqual([]);
    expect(loadGraph([src('engine/ssh-transport.ts')], root).packages.has('docker-modem')).toBe(true);
  });
});
