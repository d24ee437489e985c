// Data safety on the real engine: volumes and their data outlive every `up` and `down` short of
// `down -v`, which removes only the project's own; what is not labelled with the project (another
// project's resources, or ones made by hand under the project's names) is never touched; a
// container removed by hand does not block `down`; secret contents never reach Gantry's output.
// Already covered elsewhere: named data across down/up and `down -p` of an unknown project
// (down.test.ts), external volumes and networks kept by `down -v` (networks-volumes.test.ts).
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { containerNames, exists, gantryIn, gantryOk, identity, inspectContainer, resourceNames, testdata, useEmptyDir } from '../support/engine-state.js';
import { TEST_IMAGE, docker, dockerOk, removeProject, uniqueName, useProject, type RunResult } from '../support/project.js';

const dir = testdata('data-safety');

/** Reads a file inside a running container. */
async function readIn(container: string, file: string): Promise<string> {
  return (await dockerOk(['exec', container, 'cat', file])).trim();
}

/** The volume mounted at `target`, by name. */
async function volumeAt(container: string, target: string): Promise<string> {
  const name = (await inspectContainer(container)).Mounts.find((m) => m.Destination === target)?.Name;
  if (name === undefined) throw new Error(`${container} mounts nothing at ${target}`);
  return name;
}

/** Removes volumes the test knows may be left unlabelled (anonymous ones), when it finishes. */
function cleanupVolumes(names: () => readonly string[]): void {
  onTestFinished(async () => {
    for (const name of names()) await docker(['volume', 'rm', '-f', name]);
  });
}

/** An image with a VOLUME of its own (as postgres has), built from the test image, removed at the end. */
async function useImageWithVolume(): Promise<string> {
  const image = `${uniqueName('gantry-t-volimg')}:1`;
  const context = useEmptyDir();
  writeFileSync(path.join(context, 'Dockerfile'), `FROM ${TEST_IMAGE}\nVOLUME /state\n`);
  onTestFinished(async () => void (await docker(['rmi', '-f', image])));
  await dockerOk(['build', '-q', '-t', image, context]);
  return image;
}

describe('volumes and their data', () => {
  it('survive up --force-recreate, a recreate after a config change and down; down -v removes them', async () => {
    const project = useProject();
    const web = `${project}-web-1`;
    const env = { GANTRY_TEST_IMAGE: await useImageWithVolume() };
    const anonymous = new Set<string>();
    cleanupVolumes(() => [...anonymous]);
    const files = async (): Promise<string[]> => Promise.all(['/data/f', '/cache/f', '/state/f'].map((f) => readIn(web, f)));

    await gantryOk(dir, ['-p', project, 'up', '-d'], env);
    await dockerOk(['exec', web, 'sh', '-c', 'echo named > /data/f; echo anon > /cache/f; echo image > /state/f']);
    const cache = await volumeAt(web, '/cache');
    const state = await volumeAt(web, '/state');
    anonymous.add(cache).add(state);

    const first = await identity(web);
    await gantryOk(dir, ['-p', project, 'up', '-d', '--force-recreate'], env);
    const forced = await identity(web);
    expect(forced.id).not.toBe(first.id);
    expect(await files()).toEqual(['named', 'anon', 'image']);

    await gantryOk(dir, ['-p', project, 'up', '-d'], { ...env, GANTRY_TEST_REVISION: '2' });
    expect((await identity(web)).id).not.toBe(forced.id);
    expect((await inspectContainer(web)).Config.Env).toContain('REVISION=2');
    expect(await files()).toEqual(['named', 'anon', 'image']);
    expect([await volumeAt(web, '/cache'), await volumeAt(web, '/state')]).toEqual([cache, state]);

    await gantryOk(dir, ['-p', project, 'down'], env);
    expect(await containerNames(project)).toEqual([]);
    expect(await resourceNames('volume', project)).toEqual([`${project}_data`]);
    await gantryOk(dir, ['-p', project, 'up', '-d'], env);
    expect(await readIn(web, '/data/f')).toBe('named');
    const renewed = [await volumeAt(web, '/cache'), await volumeAt(web, '/state')];
    for (const name of renewed) anonymous.add(name);

    await gantryOk(dir, ['-p', project, 'down', '-v'], env);
    expect(await resourceNames('volume', project)).toEqual([]);
    // The anonymous volumes of the container down -v removed are gone too (those of the one
    // `down` removed without -v stay behind, unlabelled, as with compose).
    for (const name of renewed) expect(await exists('volume', name), name).toBe(false);
  });

  it('down -v removes only its own project\'s volumes, and leaves another project running', async () => {
    const mine = useProject();
    const other = useProject();
    await gantryOk(dir, ['-p', mine, 'up', '-d']);
    await gantryOk(dir, ['-p', other, 'up', '-d']);
    const theirs = `${other}-web-1`;
    await dockerOk(['exec', theirs, 'sh', '-c', 'echo theirs > /data/f; echo theirs > /cache/f']);
    const before = await identity(theirs);

    await gantryOk(dir, ['-p', mine, 'down', '-v']);
    expect(await containerNames(mine)).toEqual([]);
    expect(await resourceNames('volume', mine)).toEqual([]);
    expect(await identity(theirs)).toEqual(before);
    expect((await inspectContainer(theirs)).State.Status).toBe('running');
    expect(await resourceNames('volume', other)).toEqual([`${other}_data`]);
    expect(await resourceNames('network', other)).toEqual([`${other}_default`]);
    expect([await readIn(theirs, '/data/f'), await readIn(theirs, '/cache/f')]).toEqual(['theirs', 'theirs']);
  });
});

describe('resources that are not the project\'s', () => {
  it('are never touched by down -v, up or ps, even under the project\'s own names', async () => {
    const project = uniqueName();
    const [container, network, volume] = [`${project}-web-1`, `${project}_default`, `${project}_data`];
    onTestFinished(async () => {
      await docker(['rm', '-f', container]);
      await removeProject(project);
      await docker(['network', 'rm', network]);
      await docker(['volume', 'rm', volume]);
    });
    await dockerOk(['volume', 'create', volume]);
    await dockerOk(['network', 'create', network]);
    await dockerOk(['run', '-d', '--init', '--name', container, '-v', `${volume}:/data`, TEST_IMAGE, 'sh', '-c', 'echo theirs > /data/f; exec sleep 3600']);
    const ownContainer = async (): Promise<unknown[]> => [await identity(container), (await inspectContainer(container)).State.Status, await readIn(container, '/data/f')];
    const owned = async (): Promise<unknown[]> => [...(await ownContainer()), (await dockerOk(['network', 'inspect', '--format', '{{.Id}}', network])).trim()];
    const before = await owned();
    const beforeContainer = await ownContainer();

    const unknown = await gantryIn(useEmptyDir(), ['-p', project, 'down', '-v']);
    expect(unknown.code, unknown.stderr).toBe(0);
    expect(unknown.stderr).toContain(`No resources found for project "${project}"`);
    expect(await owned()).toEqual(before);

    // The network is not the project's: up refuses it and creates no container.
    const refused = await gantryIn(dir, ['-p', project, 'up', '-d']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`network ${network} exists but was not created for project "${project}"`);
    expect(await owned()).toEqual(before);

    // Without that network, the container name is taken by a container that is not the project's.
    await dockerOk(['network', 'rm', network]);
    const conflict = await gantryIn(dir, ['-p', project, 'up', '-d']);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/already in use/);
    expect(await ownContainer()).toEqual(beforeContainer);

    const ps = await gantryIn(dir, ['-p', project, 'ps', '-a', '-q']);
    expect(ps.code, ps.stderr).toBe(0);
    expect(ps.stdout).toBe('');
    const down = await gantryIn(dir, ['-p', project, 'down', '-v']);
    expect(down.code, down.stderr).toBe(0);
    expect(await ownContainer()).toEqual(beforeContainer);
    expect(await exists('volume', volume)).toBe(true);
    expect(beforeContainer[2]).toBe('theirs');
    expect(await resourceNames('network', project)).toEqual([]);
  });
});

describe('a volume made by hand under the project\'s name', () => {
  it('is used with a warning that it is not the project\'s, keeps its data, and survives down -v', async () => {
    const project = useProject();
    const volume = `${project}_data`;
    onTestFinished(async () => {
      await removeProject(project);
      await docker(['volume', 'rm', volume]);
    });
    await dockerOk(['volume', 'create', volume]);
    await dockerOk(['run', '--rm', '-v', `${volume}:/data`, TEST_IMAGE, 'sh', '-c', 'echo theirs > /data/f']);

    const up = await gantryIn(dir, ['-p', project, '--progress', 'plain', 'up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain(`volume ${volume} already exists but was not created for this project`);
    expect(await readIn(`${project}-web-1`, '/data/f')).toBe('theirs');
    // Still nobody's: up neither relabels it nor takes it over.
    expect((await dockerOk(['volume', 'inspect', '--format', '{{json .Labels}}', volume])).trim()).not.toContain(project);

    await gantryOk(dir, ['-p', project, 'down', '-v']);
    expect(await exists('volume', volume)).toBe(true);
  });
});

describe('a container removed by hand between up and down', () => {
  it('does not stop down from removing the rest', async () => {
    const project = useProject();
    const converge = testdata('up-converge');
    await gantryOk(converge, ['-p', project, 'up', '-d']);
    await dockerOk(['rm', '-f', `${project}-web-1`]);
    const ps = await gantryOk(converge, ['-p', project, 'ps', '--services']);
    expect(ps.stdout.split('\n').filter(Boolean).sort()).toEqual(['db', 'worker']);
    await gantryOk(converge, ['-p', project, 'down', '-t', '1']);
    expect(await containerNames(project)).toEqual([]);
    expect(await resourceNames('network', project)).toEqual([]);
  });
});

describe('secrets', () => {
  it('never show their contents in config, progress, ps, plan or error output', async () => {
    const project = useProject();
    const secret = `s3cr3t-${randomBytes(12).toString('hex')}`;
    const envSecret = `envs3cr3t-${randomBytes(12).toString('hex')}`;
    const work = useEmptyDir();
    writeFileSync(path.join(work, 'token.txt'), `${secret}\n`);
    writeFileSync(path.join(work, 'compose.yaml'), [
      'services:',
      '  app:',
      `    image: ${TEST_IMAGE}`,
      '    init: true',
      '    command: ["sleep", "3600"]',
      '    secrets:',
      '      - token',
      '      - source: api_key',
      '        target: key',
      'secrets:',
      '  token:',
      '    file: ./token.txt',
      '  api_key:',
      '    environment: GANTRY_TEST_API_KEY',
      '',
    ].join('\n'));
    // Errors in a run that has the secrets loaded: a schema error in another file, a container
    // the engine refuses to create (a bind source that does not exist).
    writeFileSync(path.join(work, 'bad-schema.yaml'), 'services:\n  app:\n    ports: ["not-a-port"]\n');
    writeFileSync(path.join(work, 'bad-bind.yaml'), 'services:\n  app:\n    volumes:\n      - type: bind\n        source: ./missing-dir\n        target: /missing\n        bind:\n          create_host_path: false\n');
    const env = { GANTRY_TEST_API_KEY: envSecret };
    const runs: { args: string[]; result: RunResult }[] = [];
    const gantry = async (args: string[]): Promise<RunResult> => {
      const result = await gantryIn(work, ['-p', project, ...args], env);
      runs.push({ args, result });
      return result;
    };

    const config = await gantry(['config']);
    expect(config.code, config.stderr).toBe(0);
    expect(config.stdout).toContain(path.join(work, 'token.txt'));
    expect(config.stdout).toContain('GANTRY_TEST_API_KEY');
    expect((await gantry(['config', '--format', 'json'])).code).toBe(0);
    expect((await gantry(['--progress', 'plain', 'up', '-d'])).code).toBe(0);
    expect(await readIn(`${project}-app-1`, '/run/secrets/token')).toBe(secret);
    // The environment secret is copied in (not bind-mounted): its value crosses Gantry itself.
    expect(await readIn(`${project}-app-1`, '/run/secrets/key')).toBe(envSecret);
    expect((await gantry(['--progress', 'json', 'up', '-d', '--force-recreate'])).code).toBe(0);
    expect((await gantry(['ps'])).code).toBe(0);
    expect((await gantry(['ps', '--format', 'json'])).code).toBe(0);
    expect((await gantry(['up', '--dry-run'])).code).toBe(0);
    const schemaError = await gantry(['-f', 'compose.yaml', '-f', 'bad-schema.yaml', 'config']);
    expect(schemaError.code).toBe(1);
    expect(schemaError.stderr).toContain('bad-schema.yaml:3:13');
    const engineError = await gantry(['-f', 'compose.yaml', '-f', 'bad-bind.yaml', '--progress', 'plain', 'up', '-d']);
    expect(engineError.code).toBe(1);
    expect(engineError.stderr).toMatch(/^error: service "app": could not create container .*missing-dir/m);
    // --debug adds stack traces and causes to the same failures.
    expect((await gantry(['--debug', '-f', 'compose.yaml', '-f', 'bad-bind.yaml', '--progress', 'json', 'up', '-d'])).code).toBe(1);
    expect((await gantry(['--debug', '-f', 'compose.yaml', '-f', 'bad-schema.yaml', 'config'])).code).toBe(1);
    expect((await gantry(['--debug', '--progress', 'plain', 'up', '-d', '--force-recreate'])).code).toBe(0);
    expect((await gantry(['--progress', 'plain', 'down', '-v'])).code).toBe(0);

    for (const { args, result } of runs) {
      for (const value of [secret, envSecret]) {
        expect(result.stdout, `stdout of gantry ${args.join(' ')}`).not.toContain(value);
        expect(result.stderr, `stderr of gantry ${args.join(' ')}`).not.toContain(value);
      }
    }
  });

  it('are not copied into the container\'s configuration or labels', async () => {
    const project = useProject();
    const secret = `s3cr3t-${randomBytes(12).toString('hex')}`;
    const envSecret = `envs3cr3t-${randomBytes(12).toString('hex')}`;
    const work = useEmptyDir();
    writeFileSync(path.join(work, 'token.txt'), secret);
    writeFileSync(path.join(work, 'compose.yaml'), `services:\n  app:\n    image: ${TEST_IMAGE}\n    init: true\n    command: ["sleep", "3600"]\n    secrets: [token, api_key]\nsecrets:\n  token:\n    file: ./token.txt\n  api_key:\n    environment: GANTRY_TEST_API_KEY\n`);
    await gantryOk(work, ['-p', project, 'up', '-d'], { GANTRY_TEST_API_KEY: envSecret });
    const inspected = await dockerOk(['container', 'inspect', `${project}-app-1`]);
    expect(inspected).not.toContain(secret);
    expect(inspected).not.toContain(envSecret);
    expect(await readIn(`${project}-app-1`, '/run/secrets/token')).toBe(secret);
    expect(await readIn(`${project}-app-1`, '/run/secrets/api_key')).toBe(envSecret);
  });
});
