// Specification of copying secrets and configs into containers: the tar archive (names, owners,
// modes, content) and when the executor sends it: after create, before the first start.
import { describe, expect, it } from 'vitest';
import { executePlan } from '../../src/engine/execute.js';
import { createFilesArchive } from '../../src/engine/inject-files.js';
import { observe } from '../../src/engine/observe.js';
import type { Project } from '../../src/model/types.js';
import type { InjectedFile } from '../../src/plan/injected-files.js';
import { planUp } from '../../src/plan/plan.js';
import { createFakeEngine } from '../support/fake-engine.js';
import { buildProject } from '../support/project-builder.js';

interface TarEntry {
  readonly name: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly mtime: number;
  readonly content: string;
}

/** Reads back ustar entries (no PAX: the names here are short and ASCII). */
function readTar(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  const field = (block: Buffer, offset: number, length: number): string => block.subarray(offset, offset + length).toString('utf8').replace(/\0.*$/s, '');
  const octal = (block: Buffer, offset: number, length: number): number => Number.parseInt(field(block, offset, length).trim() || '0', 8);
  for (let at = 0; at + 512 <= archive.length;) {
    const block = archive.subarray(at, at + 512);
    if (block.every((b) => b === 0)) break;
    const size = octal(block, 124, 12);
    entries.push({
      name: field(block, 0, 100), mode: octal(block, 100, 8), uid: octal(block, 108, 8), gid: octal(block, 116, 8), mtime: octal(block, 136, 12),
      content: archive.subarray(at + 512, at + 512 + size).toString('utf8'),
    });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

describe('createFilesArchive', () => {
  it('names each file by its target under the root, with its owner, mode and content', () => {
    const files: InjectedFile[] = [
      { kind: 'secret', source: 'api_key', target: '/run/secrets/owned', content: 'k'.repeat(600), mode: 0o400, uid: 1000, gid: 1001 },
      { kind: 'config', source: 'inline', target: '/etc/app.conf', content: 'listen 80\n', mode: 0o444 },
    ];
    const archive = createFilesArchive(files, 1_700_000_000);
    expect(archive.length % 512).toBe(0);
    expect(archive.subarray(archive.length - 1024).every((b) => b === 0)).toBe(true);
    expect(readTar(archive)).toEqual([
      { name: 'run/secrets/owned', mode: 0o400, uid: 1000, gid: 1001, mtime: 1_700_000_000, content: 'k'.repeat(600) },
      { name: 'etc/app.conf', mode: 0o444, uid: 0, gid: 0, mtime: 1_700_000_000, content: 'listen 80\n' },
    ]);
  });
});

function projectWithSecrets(): Project {
  const base = buildProject({
    services: {
      web: { secrets: [{ source: 'api_key', target: '/run/secrets/api_key' }] },
      plain: { secrets: [{ source: 'token', target: '/run/secrets/token' }] },
    },
  });
  return {
    ...base,
    secrets: {
      api_key: { key: 'api_key', name: 'demo_api_key', environment: 'API_KEY', environmentValue: 'v4lue', external: false },
      token: { key: 'token', name: 'demo_token', file: '/work/demo/token.txt', external: false },
    },
  };
}

describe('executePlan with copied secrets', () => {
  it('copies them into the container between its create and its start; host files are not copied', async () => {
    const project = projectWithSecrets();
    const engine = createFakeEngine({ images: ['busybox'], latencyMs: 1 });
    const plan = planUp(project, await observe(engine, project.name), { imagesPresent: new Set(['busybox']) });
    await executePlan(plan, { engine, project });
    const web = engine.container('demo-web-1')!;
    const calls = engine.calls.filter((c) => c.resource === web.id || c.resource === 'demo-web-1');
    expect(calls.map((c) => c.operation)).toEqual(['createContainer', 'copyToContainer', 'startContainer']);
    const [create, copy, start] = calls;
    expect(create!.endSeq! < copy!.startSeq && copy!.endSeq! < start!.startSeq).toBe(true);
    const copied = engine.copiedArchives('demo-web-1');
    expect(copied.map((c) => c.path)).toEqual(['/']);
    expect(readTar(copied[0]!.archive).map((e) => [e.name, e.content, e.mode])).toEqual([['run/secrets/api_key', 'v4lue', 0o444]]);
    expect(engine.copiedArchives('demo-plain-1')).toEqual([]);
    expect(engine.calls.some((c) => c.operation === 'copyToContainer' && c.resource !== web.id)).toBe(false);
  });

  it('a failed copy fails the service before it starts', async () => {
    const project = projectWithSecrets();
    const engine = createFakeEngine({ images: ['busybox'], failOn: [{ operation: 'copyToContainer', statusCode: 500, message: 'no space left' }] });
    const plan = planUp(project, await observe(engine, project.name), { imagesPresent: new Set(['busybox']) });
    await expect(executePlan(plan, { engine, project })).rejects.toThrow(/no space left/);
    expect(engine.container('demo-web-1')?.state).toBe('created');
  });
});
