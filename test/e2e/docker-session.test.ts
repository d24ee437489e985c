// DockerEngine's sessions and lifecycle calls against the real daemon, without the CLI: exec and
// attach-then-start with their streams split, stdin, exit codes and AutoRemove; kill, pause,
// restart, top and image inspect.
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createContainerSpec, createNetworkSpec } from '../../src/engine/container-spec.js';
import { createDockerEngine } from '../../src/engine/docker-engine.js';
import type { SessionStreams } from '../../src/engine/engine.js';
import { createRunSpec } from '../../src/engine/run-spec.js';
import type { Project } from '../../src/model/types.js';
import { buildProject, buildService } from '../support/project-builder.js';
import { TEST_IMAGE as IMAGE, eventually, useProject } from '../support/project.js';

const engine = createDockerEngine();

function collector(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  return { stream: new Writable({ write: (chunk: Buffer, _enc, done) => void (chunks.push(chunk), done()) }), text: () => Buffer.concat(chunks).toString() };
}

function streams(input?: string): { io: SessionStreams; out: () => string; err: () => string } {
  const out = collector();
  const err = collector();
  const stdin = input === undefined ? undefined : new PassThrough();
  stdin?.end(input);
  return { io: { ...(stdin === undefined ? {} : { stdin }), stdout: out.stream, stderr: err.stream }, out: out.text, err: err.text };
}

async function startSleeper(): Promise<{ project: Project; id: string }> {
  const project = buildProject({ name: useProject(), services: { app: { image: IMAGE, command: ['sleep', '600'], init: true } } });
  for (const network of Object.values(project.networks)) await engine.createNetwork(createNetworkSpec(project, network));
  const id = await engine.createContainer(createContainerSpec({ project, service: project.services.app ?? buildService('app'), number: 1, configHash: 'test' }));
  await engine.startContainer(id);
  return { project, id };
}

const exec = { env: [], privileged: false, tty: false, interactive: true, detach: false } as const;

describe('sessions', () => {
  it('execs a command: stdout and stderr apart, stdin in, the exit code out', async () => {
    const { id } = await startSleeper();
    const s = streams('line 1\nline 2\n');
    const code = await engine.execInContainer(id, { ...exec, command: ['sh', '-c', 'cat; echo oops >&2; exit 5'], env: ['A=1'] }, s.io);
    expect({ code, out: s.out(), err: s.err() }).toEqual({ code: 5, out: 'line 1\nline 2\n', err: 'oops\n' });
    const tty = streams();
    expect(await engine.execInContainer(id, { ...exec, command: ['sh', '-c', 'tty; printf x >&2'], tty: true, interactive: false }, tty.io)).toBe(0);
    // With a TTY there is one stream: everything arrives on stdout.
    expect(tty.out()).toMatch(/^\/dev\/pts\/\d+\r\nx$/);
  });

  it('attaches to a one-off before starting it and resolves with its exit code, removed with AutoRemove', async () => {
    const project = buildProject({ name: useProject(), services: { app: { image: IMAGE, stdinOpen: true } } });
    for (const network of Object.values(project.networks)) await engine.createNetwork(createNetworkSpec(project, network));
    const service = { ...(project.services.app ?? buildService('app')), command: ['sh', '-c', 'echo started; cat >&2; exit 3'] };
    const spec = createRunSpec({ project, service, name: `${project.name}-app-run-1`, configHash: 'h', slug: 'a'.repeat(64), autoRemove: true, attach: true });
    const id = await engine.createContainer(spec);
    const s = streams('from stdin\n');
    expect(await engine.startAttached(id, s.io, { autoRemove: true })).toBe(3);
    expect(s.out()).toBe('started\n');
    expect(s.err()).toBe('from stdin\n');
    await eventually(async () => expect((await engine.listContainers({ 'com.docker.compose.project': project.name }, { all: true })).map((c) => c.id)).not.toContain(id));
  });
});

describe('lifecycle calls', () => {
  it('pauses, unpauses, lists processes, kills with a signal and restarts', async () => {
    const { id } = await startSleeper();
    await engine.pauseContainer(id);
    expect((await engine.inspectContainer(id)).state).toBe('paused');
    await engine.unpauseContainer(id);
    const top = await engine.listProcesses(id);
    expect(top.titles).toContain('CMD');
    expect(top.processes.some((p) => p.join(' ').includes('sleep 600'))).toBe(true);
    await engine.killContainer(id, { signalName: 'SIGTERM' });
    await eventually(async () => expect((await engine.inspectContainer(id)).state).toBe('exited'));
    await engine.restartContainer(id, { timeoutSeconds: 1 });
    expect((await engine.inspectContainer(id)).state).toBe('running');
  });

  it('inspects an image, and answers undefined for a missing one', async () => {
    const image = await engine.inspectImage(IMAGE);
    expect(image).toMatchObject({ id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), repoTags: expect.arrayContaining([IMAGE]), platform: expect.stringMatching(/^linux\//) });
    expect(image?.size).toBeGreaterThan(0);
    expect(await engine.inspectImage('gantry-test/no-such-image:0')).toBeUndefined();
  });
});
