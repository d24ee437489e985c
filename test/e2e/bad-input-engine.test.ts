// The bad-input catalogue against the real engine: every case that reaches a model or flag error
// through a command that talks to the engine (`up -d`, or the case's own `up`/`down`/`ps` flags)
// exits 1 without a stack trace and leaves nothing behind: no container (in any state), network
// or volume labelled with the project or named after it. A broken file given to `down` or `ps`,
// which ask the engine first, creates nothing either.
import PQueue from 'p-queue';
import { afterAll, describe, expect, it } from 'vitest';
import { badInputCases, caseDir, type BadInputCase } from '../support/bad-input-cases.js';
import { projectLeftovers } from '../support/engine-state.js';
import { PROJECT_LABEL, docker, dockerOk, removeProject, runGantry, uniqueProjectName } from '../support/project.js';

/** The engine nearly serialises its work and these machines have 2 cores: 4 runs at a time. */
const queue = new PQueue({ concurrency: 4 });

interface EngineRun {
  readonly args: readonly string[];
  /** Whose resources must not exist afterwards: the project label value, and name prefixes. */
  readonly project: string;
  readonly namePrefixes: readonly string[];
}

/**
 * Cases whose command line cannot reach the engine at all, so there is nothing to check there:
 * a flag only `config` has, `-p` without a value and a misspelt command.
 */
const NO_ENGINE_COMMAND = new Set(['50-unknown-config-format', '51-flag-value-missing', '52-unknown-command']);

/** The catalogue's command line as one that talks to the engine, under a fresh project name. */
function toEngineRun(c: BadInputCase): EngineRun | undefined {
  if (NO_ENGINE_COMMAND.has(c.dir)) return undefined;
  const project = uniqueProjectName('gantry-t-bad');
  const args = c.args ?? ['config', '-q'];
  // `up -d` in place of `config -q`, keeping the global flags and service names around it.
  const asUp = args.flatMap((a) => (a === 'config' ? ['up', '-d'] : a === '-q' ? [] : [a]));
  if (c.dir === '40-invalid-project-name') {
    // -p would win over the file's invalid `name:`, hiding the very error under test.
    return { args: asUp, project: 'My Project!', namePrefixes: ['myproject', 'my-project', '40-invalid-project-name'] };
  }
  if (args.includes('-p')) return { args: asUp, project: 'Bad Name', namePrefixes: ['badname', 'bad-name', 'bad_name'] };
  return { args: ['-p', project, ...asUp], project, namePrefixes: [project] };
}

/** Broken files given to commands that read the engine before (or without) the file. */
const BROKEN_FILES_FOR_LISTING = ['18-yaml-unclosed-quote', '22-dependency-cycle', '25-undeclared-network', '43-three-independent-mistakes', '53-binary-file'];

/** What failing cases left behind, by project: removed after the file (passing cases leave nothing). */
const leftBehind = new Map<string, string[]>();
afterAll(async () => {
  for (const [project, lines] of leftBehind) {
    await removeProject(project);
    // Resources found by name only carry no label for removeProject to find.
    for (const line of lines) {
      const [kind = '', name = ''] = line.split(' ');
      await docker(kind === 'container' ? ['rm', '-f', name] : [kind, 'rm', name]);
    }
  }
});

async function runAndCheck(c: BadInputCase, run: EngineRun): Promise<{ code: number; stderr: string; leftovers: string[] }> {
  return queue.add(async () => {
    const result = await runGantry(run.args, { cwd: caseDir(c), ...(c.stdin === undefined ? {} : { input: c.stdin }) });
    const leftovers = await projectLeftovers(run.project, run.namePrefixes);
    if (leftovers.length > 0) leftBehind.set(run.project, leftovers);
    return { code: result.code, stderr: result.stderr, leftovers };
  });
}

const engineCases = badInputCases.flatMap((c) => {
  const run = toEngineRun(c);
  return run === undefined ? [] : [[`${c.dir}: gantry ${run.args.join(' ')}`, c, run] as const];
});

describe.concurrent('a bad input given to a command that talks to the engine', () => {
  it('covers every case of the catalogue but those that name no engine command', () => {
    expect(engineCases.length).toBe(badInputCases.length - NO_ENGINE_COMMAND.size);
    expect(engineCases.length).toBeGreaterThanOrEqual(55);
  });

  it('the leftover check sees a labelled volume and a network named after the project', async () => {
    const project = uniqueProjectName('gantry-t-bad');
    try {
      await dockerOk(['volume', 'create', '--label', `${PROJECT_LABEL}=${project}`, `vol-${project}`]);
      await dockerOk(['network', 'create', `${project}_default`]);
      expect(await projectLeftovers(project)).toEqual([`network ${project}_default`, `volume vol-${project}`]);
    } finally {
      await docker(['network', 'rm', `${project}_default`]);
      await removeProject(project);
    }
  });

  it.each(engineCases)('%s', async (_name, c, run) => {
    const { code, stderr, leftovers } = await runAndCheck(c, run);
    expect(code, stderr).toBe(c.exitCode);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(leftovers, `gantry ${run.args.join(' ')} left resources behind`).toEqual([]);
  });

  it.each(BROKEN_FILES_FOR_LISTING.flatMap((dir) => [['down', dir], ['ps', dir]] as const))('%s with the broken file of %s', async (command, dir) => {
    const c = badInputCases.find((k) => k.dir === dir);
    if (c === undefined) throw new Error(`no case ${dir} in the catalogue`);
    const project = uniqueProjectName('gantry-t-bad');
    const args = command === 'down' ? ['-p', project, 'down', '-v'] : ['-p', project, 'ps', '-a'];
    const { code, stderr, leftovers } = await runAndCheck(c, { args, project, namePrefixes: [project] });
    // Either answer is fine (an empty project, or the file's error): never a crash.
    expect([0, 1], stderr).toContain(code);
    expect(stderr).not.toMatch(/\n\s+at |internal error/);
    expect(leftovers).toEqual([]);
  });
});
