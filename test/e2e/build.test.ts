// Building images on the real engine (classic builder), offline from the test image: multi-stage
// with COPY --from, build args reaching RUN, target, .dockerignore checked inside the image, the
// same files as docker-compose build and docker build, rebuilding only when asked, failing builds,
// and a round trip through the local registry.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { onTestFinished, describe, expect, it } from 'vitest';
import { createBuildContext } from '../../src/engine/build-context.js';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import type { BuildOptions, BuildProgress } from '../../src/engine/engine.js';
import { BuildError, GantryError } from '../../src/errors.js';
import { containerNames, gantryIn, inspectContainer, testdata } from '../support/engine-state.js';
import { REGISTRY, docker, dockerOk, removeProject, run, uniqueProjectName, type RunResult } from '../support/project.js';

/** A project whose containers, and every image built for it, are removed when the test ends. */
function useBuildProject(): { project: string; images: string[] } {
  const project = uniqueProjectName();
  const images: string[] = [];
  onTestFinished(async () => {
    await removeProject(project);
    const labelled = (await docker(['images', '-a', '-q', '--filter', `label=com.docker.compose.project=${project}`])).stdout.split('\n').filter(Boolean);
    for (const image of [...images, ...new Set(labelled)]) await docker(['image', 'rm', '-f', image]);
  });
  return { project, images };
}

function expectOk(result: RunResult, what: string): RunResult {
  expect(result.code, `${what} exited ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(0);
  return result;
}

async function imageId(ref: string): Promise<string> {
  return (await dockerOk(['image', 'inspect', '-f', '{{.Id}}', ref])).trim();
}

/** Runs a shell script in a throwaway container of the image; its stdout. */
function inImage(image: string, script: string): Promise<string> {
  return dockerOk(['run', '--rm', image, 'sh', '-c', script]);
}

/** Every path of the image's filesystem, then modes, types and sizes under /src, then checksums of the built files. */
const CONTENT_LISTING = [
  'find / -xdev | sort',
  'cd /src && find . -exec stat -c "%n %a %s %F" {} + | sort',
  'find /src /greeting /stage -type f -exec sha256sum {} + | sort',
].join('; ');

describe('gantry build', () => {
  const dir = testdata('build-multistage');

  it('builds multi-stage images: args reach RUN, target stops at a stage, .dockerignore keeps files out', async () => {
    const { project } = useBuildProject();
    const result = expectOk(await gantryIn(dir, ['-p', project, '--progress', 'plain', 'build'], { GREETING: 'interpolated-greeting' }), 'gantry build');
    expect(result.stderr).toMatch(/Service app +Building +Step 2\/\d+ : ARG GREETING=unset/);
    expect(result.stderr).toMatch(/Service app +Built +[0-9a-f]{12}/);
    expect(result.stderr).toMatch(/Service builder +Built +[0-9a-f]{12}/);
    const app = `${project}-app`;
    expect(await inImage(app, 'cat /greeting /stage')).toBe('interpolated-greeting\nfinal\n');
    expect(await inImage(`${project}-builder`, 'cat /out/greeting /out/stage; test -e /stage || echo no final stage')).toBe('interpolated-greeting\nbuilder\nno final stage\n');
    expect(await inImage(app, 'cd /src && find . | sort')).toBe([
      '.', './.dockerignore', './Dockerfile', './link', './main.txt', './nested', './nested/deep', './nested/deep/keep.txt', './run.sh', './secrets', './secrets/public.txt', '',
    ].join('\n'));
    expect(await inImage(app, 'stat -c "%a %F" /src/run.sh /src/main.txt; readlink /src/link')).toBe('755 regular file\n644 regular file\nmain.txt\n');
    const labels = JSON.parse(await dockerOk(['image', 'inspect', '-f', '{{json .Config.Labels}}', app])) as Record<string, string>;
    expect(labels).toMatchObject({ 'org.example.team': 'gantry', 'com.docker.compose.project': project, 'com.docker.compose.service': 'app' });
  });

  it('gives the same files as docker-compose build and docker build (classic builder) for the same context', async () => {
    const { project, images } = useBuildProject();
    const env = { GREETING: 'same-everywhere', COMPOSE_DOCKER_CLI_BUILD: '0', DOCKER_BUILDKIT: '0' };
    images.push(`${project}_app`, `${project}-reference`);
    expectOk(await gantryIn(dir, ['-p', project, '--progress', 'quiet', 'build', 'app'], env), 'gantry build');
    expectOk(await run('docker-compose', ['-p', project, 'build', 'app'], { cwd: dir, env }), 'docker-compose build');
    expectOk(await docker(['build', '-q', '-t', `${project}-reference`, '--build-arg', 'GREETING=same-everywhere', 'app'], { cwd: dir, env }), 'docker build');
    const ours = await inImage(`${project}-app`, CONTENT_LISTING);
    expect(ours).toContain('/src/secrets/public.txt');
    expect(ours).not.toContain('notes.bak');
    expect(await inImage(`${project}_app`, CONTENT_LISTING)).toBe(ours);
    expect(await inImage(`${project}-reference`, CONTENT_LISTING)).toBe(ours);
  });

  it('takes --build-arg, --no-cache and -q', async () => {
    const { project } = useBuildProject();
    const rebuild = testdata('build-rebuild');
    const quiet = expectOk(await gantryIn(rebuild, ['-p', project, 'build', '-q', '--build-arg', 'STAMP=from-flag']), 'gantry build -q');
    expect(quiet.stdout + quiet.stderr).toBe('');
    expect(await inImage(`${project}-app`, 'cat /stamp')).toBe('from-flag\n');
    const cached = expectOk(await gantryIn(rebuild, ['-p', project, '--progress', 'plain', 'build', '--build-arg', 'STAMP=from-flag']), 'gantry build');
    expect(cached.stderr).toContain('Using cache');
    const fresh = expectOk(await gantryIn(rebuild, ['-p', project, '--progress', 'plain', 'build', '--no-cache', '--build-arg', 'STAMP=from-flag']), 'gantry build --no-cache');
    expect(fresh.stderr).not.toContain('Using cache');
    expect(fresh.stderr).toMatch(/Service app +Built/);
  });
});

describe('build.platforms', () => {
  it('builds the engine\'s own platform, and refuses another one or several with a clear error', async () => {
    const { project } = useBuildProject();
    const native = (await dockerOk(['version', '-f', '{{.Server.Os}}/{{.Server.Arch}}'])).trim();
    // The file names linux/amd64 as the native platform: on another engine the roles swap.
    if (native !== 'linux/amd64') return;
    const result = await gantryIn(testdata('build-platforms'), ['-p', project, '--progress', 'plain', 'build']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('service "foreign": build.platforms asks for linux/arm64, but the engine built linux/amd64');
    expect(result.stderr).toContain('service "several": build.platforms lists 2 platforms (linux/amd64, linux/arm64), but the engine\'s classic builder builds one platform at a time');
    expect(await inImage(`${project}-native`, 'cat /arch')).toBe('x86_64\n');
    expect((await docker(['image', 'inspect', `${project}-foreign`])).code).not.toBe(0);
  });
});

describe('gantry up with build:', () => {
  it('builds a missing image, keeps it on the next up, and rebuilds it only with --build', async () => {
    const { project, images } = useBuildProject();
    const dir = testdata('build-rebuild');
    const up = (stamp: string, ...args: string[]): Promise<RunResult> => gantryIn(dir, ['-p', project, '--progress', 'plain', 'up', '-d', ...args], { STAMP: stamp });
    const container = `${project}-app-1`;

    const first = expectOk(await up('one'), 'first up');
    expect(first.stderr).toMatch(/Service app +Built/);
    const built = await imageId(`${project}-app`);
    images.push(built);
    expect(await dockerOk(['exec', container, 'cat', '/stamp'])).toBe('one\n');

    const second = expectOk(await up('two'), 'second up');
    expect(second.stderr).not.toContain('Building');
    expect(await imageId(`${project}-app`)).toBe(built);

    const third = expectOk(await up('two', '--build'), 'up --build');
    expect(third.stderr).toMatch(/Service app +Built/);
    const rebuilt = await imageId(`${project}-app`);
    expect(rebuilt).not.toBe(built);
    expect((await inspectContainer(container)).Image).toBe(rebuilt);
    expect(await dockerOk(['exec', container, 'cat', '/stamp'])).toBe('two\n');
    expect((await up('three', '--no-build')).stderr).not.toContain('Building');
  });

  it('exits 1 naming the service and the failing step; dependents do not start, independent services do', async () => {
    const { project } = useBuildProject();
    const result = await gantryIn(testdata('build-fails'), ['-p', project, '--progress', 'plain', 'up', '-d']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/Service broken +Building +about to fail/);
    expect(result.stderr).toContain('error: service "broken": build failed at Step 2/4 : RUN echo "about to fail" && false: exit code 1 (not started because of it: web)');
    expect(result.stderr).toContain('hint: the step\'s last output:\n      about to fail');
    expect(await containerNames(project, { running: true })).toEqual([`${project}-other-1`]);
    expect((await docker(['image', 'inspect', `${project}-broken`])).code).not.toBe(0);
  });
});

describe('gantry push and pull', () => {
  it('pushes a built image to the local registry and pulls it back, with per-layer progress', async () => {
    const { project, images } = useBuildProject();
    const image = `${REGISTRY}/gantry-t-${randomBytes(4).toString('hex')}/app:1`;
    images.push(image);
    const dir = testdata('build-push');
    const env = { PUSH_IMAGE: image };
    expectOk(await gantryIn(dir, ['-p', project, '--progress', 'quiet', 'build'], env), 'gantry build');
    const pushed = expectOk(await gantryIn(dir, ['-p', project, '--progress', 'plain', 'push'], env), 'gantry push');
    // A layer goes up, or the registry has it already (here, or in another repository it mounts from).
    expect(pushed.stderr).toMatch(/Pushing +[0-9a-f]{12}: (Pushed|Layer already exists|Mounted from \S+) \(\d+\/\d+ layers done\)/);
    expect(pushed.stderr).toMatch(new RegExp(`Image ${image.replace(/[.]/g, '\\.')} +Pushed`));

    await dockerOk(['image', 'rm', image]);
    const pulled = expectOk(await gantryIn(dir, ['-p', project, '--progress', 'plain', 'pull'], env), 'gantry pull');
    expect(pulled.stderr).toMatch(/Pulling +[0-9a-f]{12}: (Pull complete|Already exists)/);
    expect(pulled.stderr).toMatch(/Pulled/);
    expect(await inImage(image, 'cat /hello.txt')).toBe('hello from the registry\n');
  });

  it('fails naming the image the registry does not have; --ignore-pull-failures and build: only warn', async () => {
    const { project } = useBuildProject();
    const image = `${REGISTRY}/gantry-t-${randomBytes(4).toString('hex')}/missing:1`;
    const pull = (name: string, ...args: string[]): Promise<RunResult> => gantryIn(testdata(name), ['-p', project, '--progress', 'plain', 'pull', ...args], { PULL_IMAGE: image, PUSH_IMAGE: image });
    const failed = await pull('pull-missing');
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stderr).toMatch(new RegExp(`error: could not pull image ${image.replace(/[.]/g, '\\.')}: `));
    expect(failed.stderr).not.toContain('gantry-test/busybox:1');
    const ignored = await pull('pull-missing', '--ignore-pull-failures');
    expect(ignored.code, ignored.stderr).toBe(0);
    expect(ignored.stderr).toMatch(/Image .*missing:1 +Skipped +could not pull image/);
    // A service with build: can be built instead, so its failed pull only warns without the flag.
    const buildable = await pull('build-push');
    expect(buildable.code, buildable.stderr).toBe(0);
    expect(buildable.stderr).toMatch(/Image .*missing:1 +Skipped +could not pull image/);
  });
});

describe('DockerEngine.buildImage', () => {
  const engine = createDockerEngine();
  const options = (tag: string): BuildOptions => ({ tags: [tag], dockerfile: 'Dockerfile', buildArgs: {}, labels: {}, extraHosts: [], cacheFrom: [], noCache: false, pull: false });

  function contextWith(dockerfile: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'gantry-build-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'Dockerfile'), dockerfile);
    return dir;
  }

  it('rejects a failing step with a BuildError that carries the step and its output', async () => {
    const tag = `${uniqueProjectName()}-engine`;
    const context = await createBuildContext({ contextDir: contextWith('FROM gantry-test/busybox:1\nRUN echo one && echo two >&2 && exit 3\n') });
    const progress: BuildProgress[] = [];
    const error = await engine.buildImage(context.stream, options(tag), (p) => progress.push(p)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildError);
    // stdout and stderr reach the builder's stream in either order.
    expect((error as BuildError).output.slice().sort()).toEqual(['one', 'two']);
    expect(error).toMatchObject({ step: 'Step 2/2 : RUN echo one && echo two >&2 && exit 3', reason: "The command '/bin/sh -c echo one && echo two >&2 && exit 3' returned a non-zero code: 3" });
    expect(progress.map((p) => p.line)).toContain('one');
    expect((await docker(['image', 'inspect', tag])).code).not.toBe(0);
  });

  it('reports a context that cannot be read, not the broken upload', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new GantryError('could not read the build context: /ctx/file: permission denied'));
      },
    });
    await expect(engine.buildImage(failing, options(`${uniqueProjectName()}-never`), () => undefined)).rejects.toThrow('could not read the build context: /ctx/file: permission denied');
  });
});
