// `gantry run`'s flags beyond the basics of run.test.ts, on the real engine: --use-aliases (seen
// through DNS from another container), --cap-add/--cap-drop (in inspect and in the kernel's
// answer), -l, --pull with the local registry, --quiet-pull, -q, --build, --quiet-build,
// --env-from-file, --remove-orphans, the TTY and stdin switches, and compose's other spellings. Each test has its own project, removed however the test ends.
import { describe, expect, it, onTestFinished } from 'vitest';
import { inspectContainer, testdata } from '../support/engine-state.js';
import { PROJECT_LABEL, TEST_IMAGE, docker, dockerOk, runGantry, useProject, type RunResult } from '../support/project.js';
import { useRegistryCopy } from '../support/registry.js';

const dir = testdata('run-flags');
/** A copy of the test image in the local registry, under a name no other test uses or removes. */
const { image: PULL_IMAGE } = useRegistryCopy('run');

function gantry(project: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<RunResult> {
  return runGantry(['-p', project, '--progress', 'plain', ...args], { cwd: dir, env: options.env ?? {}, ...(options.input === undefined ? {} : { input: options.input }) });
}

function expectOk(result: RunResult): void {
  expect(result.code, `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(0);
}

/** Starts a detached one-off and returns its id; the project's cleanup removes it. */
async function runDetached(project: string, args: readonly string[]): Promise<string> {
  const result = await gantry(project, ['run', '-d', ...args]);
  expectOk(result);
  return result.stdout.trim();
}

async function ipOf(id: string, network: string): Promise<string> {
  return (await dockerOk(['inspect', '--format', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, id])).trim();
}

async function isImagePresent(image: string): Promise<boolean> {
  return (await docker(['image', 'inspect', image])).code === 0;
}

/** The engine's record of pulls of `image` since `since`: proof that a pull happened, or not. */
async function pullsSince(image: string, since: Date): Promise<number> {
  const out = await dockerOk(['events', '--since', since.toISOString(), '--until', new Date().toISOString(), '--filter', 'type=image', '--filter', 'event=pull', '--format', '{{.Actor.ID}}']);
  return out.split('\n').filter((id) => id.trim() === image).length;
}

/** Lines of the plain progress view about `label` ("Image x", "Service built"), without the label. */
function progressOf(result: RunResult, label: string): string[] {
  return result.stderr.split('\n').map((line) => line.trim()).filter((line) => line.startsWith(`${label} `)).map((line) => line.slice(label.length).trim());
}

describe('run flags', () => {
  it('--use-aliases: other containers of the project reach the one-off by the service\'s name and aliases', async () => {
    const project = useProject();
    const id = await runDetached(project, ['--use-aliases', 'tool']);
    const ip = await ipOf(id, `${project}_default`);
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    for (const name of ['tool-alias', 'tool']) {
      const lookup = await gantry(project, ['run', '--rm', 'probe', 'nslookup', name]);
      expectOk(lookup);
      expect(lookup.stdout).toContain(`Address: ${ip}`);
    }
  });

  it('without --use-aliases, a one-off answers for neither the service\'s name nor its aliases', async () => {
    const project = useProject();
    const id = await runDetached(project, ['tool']);
    expect((await inspectContainer(id)).NetworkSettings.Networks[`${project}_default`]?.Aliases ?? []).not.toContain('tool-alias');
    for (const name of ['tool-alias', 'tool']) {
      const lookup = await gantry(project, ['run', '--rm', 'probe', 'nslookup', name]);
      expect(lookup.code, lookup.stdout).not.toBe(0);
      expect(lookup.stdout).toContain(`can't find ${name}`);
    }
  });

  it('--cap-add and --cap-drop join the service\'s cap_add, and the kernel honours them', async () => {
    const project = useProject();
    const id = await runDetached(project, ['--cap-add', 'NET_ADMIN', '--cap-drop', 'CHOWN', 'tool']);
    const host = JSON.parse(await dockerOk(['inspect', '--format', '{{json .HostConfig}}', id])) as { CapAdd: string[] | null; CapDrop: string[] | null };
    expect([...(host.CapAdd ?? [])].sort()).toEqual(['NET_ADMIN', 'SYS_TIME']);
    expect(host.CapDrop).toEqual(['CHOWN']);
    // Changing an interface needs NET_ADMIN; chown as root needs CHOWN.
    const mtu = ['sh', '-c', 'ip link set lo mtu 1400'];
    expect((await gantry(project, ['run', '--rm', 'tool', ...mtu])).code).not.toBe(0);
    expectOk(await gantry(project, ['run', '--rm', '--cap-add', 'NET_ADMIN', 'tool', ...mtu]));
    const chown = ['sh', '-c', 'touch /tmp/f && chown 65534 /tmp/f'];
    expectOk(await gantry(project, ['run', '--rm', 'tool', ...chown]));
    expect((await gantry(project, ['run', '--rm', '--cap-drop', 'CHOWN', 'tool', ...chown])).code).not.toBe(0);
  });

  it('-l adds labels next to compose\'s one-off labels', async () => {
    const project = useProject();
    const id = await runDetached(project, ['-l', 'com.example.team=infra', '--label', 'note=a=b', 'tool']);
    expect((await inspectContainer(id)).Config.Labels).toMatchObject({
      'com.example.team': 'infra',
      note: 'a=b',
      [PROJECT_LABEL]: project,
      'com.docker.compose.service': 'tool',
      'com.docker.compose.oneoff': 'True',
    });
  });

  it('--pull never with a missing image fails, naming the image and the flag, and creates no container', async () => {
    const project = useProject();
    await docker(['image', 'rm', PULL_IMAGE]);
    const result = await gantry(project, ['run', '--rm', '--pull', 'never', 'tool', 'true'], { env: { RUN_IMAGE: PULL_IMAGE } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: service "tool": image ${PULL_IMAGE} is not on the engine, and --pull never forbids pulling it`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect((await dockerOk(['ps', '-aq', '--filter', `label=${PROJECT_LABEL}=${project}`])).trim()).toBe('');
    expect(await isImagePresent(PULL_IMAGE)).toBe(false);
  });

  it('--pull always pulls an image that is there; --pull missing does not', async () => {
    const project = useProject();
    await dockerOk(['tag', TEST_IMAGE, PULL_IMAGE]);
    const env = { RUN_IMAGE: PULL_IMAGE };
    const before = new Date();
    expectOk(await gantry(project, ['run', '--rm', '--pull', 'missing', 'tool', 'true'], { env }));
    expect(await pullsSince(PULL_IMAGE, before)).toBe(0);
    const since = new Date();
    expectOk(await gantry(project, ['run', '--rm', '--pull', 'always', 'tool', 'true'], { env }));
    expect(await pullsSince(PULL_IMAGE, since)).toBe(1);
  });

  it('--quiet-pull shows the pull\'s start and end without its progress', async () => {
    const project = useProject();
    await docker(['image', 'rm', PULL_IMAGE]);
    const result = await gantry(project, ['run', '--rm', '--quiet-pull', 'tool', 'echo', 'ran'], { env: { RUN_IMAGE: PULL_IMAGE } });
    expectOk(result);
    expect(result.stdout).toBe('ran\n');
    expect(progressOf(result, `Image ${PULL_IMAGE}`)).toEqual(['Pulling', 'Pulled']);
  });

  it('-q pulls and starts without a word of progress; the command\'s output still shows', async () => {
    const project = useProject();
    await docker(['image', 'rm', PULL_IMAGE]);
    const result = await gantry(project, ['run', '--rm', '-q', 'tool', 'echo', 'ran'], { env: { RUN_IMAGE: PULL_IMAGE } });
    expectOk(result);
    expect(result).toMatchObject({ stdout: 'ran\n', stderr: '' });
    expect(await isImagePresent(PULL_IMAGE)).toBe(true);
  });

  it('builds a missing image, reuses it after, rebuilds it with --build, quietly with --quiet-build', async () => {
    const project = useProject();
    onTestFinished(async () => void (await docker(['image', 'rm', `${project}-built`])));
    const first = await gantry(project, ['run', '--rm', 'built']);
    expectOk(first);
    expect(first.stdout).toBe('built\n');
    expect(progressOf(first, 'Service built').at(-1)).toMatch(/^Built/);
    const again = await gantry(project, ['run', '--rm', 'built']);
    expectOk(again);
    expect(progressOf(again, 'Service built')).toEqual([]);
    const rebuilt = await gantry(project, ['run', '--rm', '--build', 'built']);
    expectOk(rebuilt);
    expect(progressOf(rebuilt, 'Service built').at(-1)).toMatch(/^Built/);
    // --quiet-build: the build's start and end, none of its steps.
    const quiet = await gantry(project, ['run', '--rm', '--build', '--quiet-build', 'built']);
    expectOk(quiet);
    expect(progressOf(quiet, 'Service built').map((line) => line.split(/\s+/)[0])).toEqual(['Building', 'Built']);
  });

  it('--env-from-file sets variables from a file, and -e wins over it', async () => {
    const project = useProject();
    const result = await gantry(project, ['run', '--rm', '--env-from-file', 'run.env', '-e', 'OVERRIDDEN=flag', 'probe', 'sh', '-c', 'echo "$FROM_FILE $OVERRIDDEN"']);
    expectOk(result);
    expect(result.stdout).toBe('file flag\n');
  });

  it('accepts compose\'s other spellings --labels and --volumes', async () => {
    const project = useProject();
    const id = await runDetached(project, ['--labels', 'spelled=labels', '--volumes', './built:/mnt/built:ro', 'tool']);
    const container = await inspectContainer(id);
    expect(container.Config.Labels.spelled).toBe('labels');
    expect(container.Mounts.map((m) => m.Destination)).toContain('/mnt/built');
  });

  it('warns about orphans, and removes them with --remove-orphans', async () => {
    const project = useProject();
    const orphan = `${project}-ghost-1`;
    await dockerOk([
      'run', '-d', '--init', '--name', orphan, '--label', `${PROJECT_LABEL}=${project}`, '--label', 'com.docker.compose.service=ghost',
      '--label', 'com.docker.compose.oneoff=False', '--label', 'com.docker.compose.container-number=1', TEST_IMAGE, 'sleep', '60',
    ]);
    const warned = await gantry(project, ['run', '--rm', 'probe']);
    expectOk(warned);
    expect(warned.stderr).toContain(`orphan containers (${orphan})`);
    expect((await docker(['container', 'inspect', orphan])).code).toBe(0);
    expectOk(await gantry(project, ['run', '--rm', '--remove-orphans', 'probe']));
    expect((await docker(['container', 'inspect', orphan])).code).not.toBe(0);
  });

  it('-t allocates a TTY even when piped (so `run -it` works), and --no-interactive closes stdin', async () => {
    const project = useProject();
    const tty = await gantry(project, ['run', '--rm', '-it', 'probe', 'sh', '-c', 'test -t 0 && echo tty']);
    expectOk(tty);
    expect(tty.stdout.trim()).toBe('tty');
    const closed = await gantry(project, ['run', '--rm', '-T', '--no-interactive', 'probe', 'cat'], { input: 'not read\n' });
    expect(closed).toMatchObject({ code: 0, stdout: '' });
  });
});
