// The build context tar stream, read back by an independent implementation (GNU tar): which
// entries it holds, their modes, symlinks, long and non-ASCII names, large files, and the
// Dockerfile rules (.dockerignore cannot drop it; inline and outside-the-context Dockerfiles).
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBuildContext, type BuildContextOptions } from '../../src/engine/build-context.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-ctx-'));
  dirs.push(dir);
  return dir;
}

/** Writes files (path → content, or {content, mode}) under a fresh directory. */
function makeContext(files: Record<string, string | { content: string; mode: number }>): string {
  const root = tempDir();
  for (const [path, spec] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    const { content, mode } = typeof spec === 'string' ? { content: spec, mode: 0o644 } : spec;
    writeFileSync(join(root, path), content);
    chmodSync(join(root, path), mode);
  }
  return root;
}

async function collect(options: BuildContextOptions): Promise<{ tar: Buffer; dockerfile: string; chunks: number }> {
  const context = await createBuildContext(options);
  const chunks: Buffer[] = [];
  for await (const chunk of context.stream) chunks.push(chunk as Buffer);
  return { tar: Buffer.concat(chunks), dockerfile: context.dockerfile, chunks: chunks.length };
}

/** `tar -t`: the entry names, in archive order. */
function list(tar: Buffer): string[] {
  const result = spawnSync('tar', ['-t', '-f', '-'], { input: tar, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return result.stdout.split('\n').filter(Boolean);
}

function extract(tar: Buffer): string {
  const out = tempDir();
  const result = spawnSync('tar', ['-x', '-f', '-', '-C', out, '--no-same-owner', '--no-same-permissions'], { input: tar, encoding: 'utf8', env: { ...process.env } });
  expect(result.stderr).toBe('');
  return out;
}

describe('createBuildContext', () => {
  it('sends every file and directory in name order, with owner root, modes and symlinks kept', async () => {
    const root = makeContext({ 'Dockerfile': 'FROM scratch\n', 'bin/run.sh': { content: '#!/bin/sh\n', mode: 0o755 }, 'secret.txt': { content: 's', mode: 0o600 }, 'b/a.txt': 'a' });
    symlinkSync('bin/run.sh', join(root, 'link'));
    symlinkSync('/does/not/exist', join(root, 'dangling'));
    const { tar, dockerfile } = await collect({ contextDir: root });
    expect(dockerfile).toBe('Dockerfile');
    expect(list(tar)).toEqual(['Dockerfile', 'b/', 'b/a.txt', 'bin/', 'bin/run.sh', 'dangling', 'link', 'secret.txt']);
    const verbose = spawnSync('tar', ['-tv', '--numeric-owner', '-f', '-'], { input: tar, encoding: 'utf8' }).stdout;
    expect(verbose).toMatch(/^-rwxr-xr-x 0\/0 +10 .* bin\/run\.sh$/m);
    expect(verbose).toMatch(/^-rw------- 0\/0 +1 .* secret\.txt$/m);
    expect(verbose).toMatch(/^lrwxrwxrwx 0\/0 +0 .* link -> bin\/run\.sh$/m);
    const out = extract(tar);
    expect(lstatSync(join(out, 'bin/run.sh')).mode & 0o777).toBe(0o755);
    expect(readlinkSync(join(out, 'dangling'))).toBe('/does/not/exist');
    expect(readFileSync(join(out, 'b/a.txt'), 'utf8')).toBe('a');
  });

  it('leaves out what .dockerignore excludes, keeping exceptions, the Dockerfile and .dockerignore', async () => {
    const root = makeContext({
      'Dockerfile': 'FROM scratch\n', '.dockerignore': '*.log\nDockerfile\n.dockerignore\nnode_modules\ndocs\n!docs/keep.md\n**/*.tmp\n',
      'app.js': '', 'debug.log': '', 'node_modules/x/index.js': '', 'docs/keep.md': '', 'docs/drop.md': '', 'src/a.tmp': '', 'src/a.ts': '',
    });
    const { tar } = await collect({ contextDir: root });
    expect(list(tar)).toEqual(['.dockerignore', 'Dockerfile', 'app.js', 'docs/keep.md', 'src/', 'src/a.ts']);
  });

  it('prefers <Dockerfile>.dockerignore beside the Dockerfile and keeps a Dockerfile in an excluded directory', async () => {
    const root = makeContext({
      'docker/app.Dockerfile': 'FROM scratch\n', 'docker/app.Dockerfile.dockerignore': 'docker\nsecrets\n', '.dockerignore': 'src\n',
      'src/main.c': '', 'secrets/key': '', 'docker/other': '',
    });
    const { tar, dockerfile } = await collect({ contextDir: root, dockerfile: 'docker/app.Dockerfile' });
    expect(dockerfile).toBe('docker/app.Dockerfile');
    expect(list(tar)).toEqual(['.dockerignore', 'docker/app.Dockerfile', 'src/', 'src/main.c']);
  });

  it('sends dockerfile_inline, and a Dockerfile outside the context, as a generated entry that .dockerignore names', async () => {
    const root = makeContext({ 'a.txt': 'a', '.dockerignore': 'b.txt' });
    const inline = await collect({ contextDir: root, dockerfileInline: 'FROM scratch\nCOPY a.txt /\n' });
    expect(inline.dockerfile).toMatch(/^\.dockerfile\.[0-9a-f]{20}$/);
    expect(list(inline.tar)).toEqual(['.dockerignore', 'a.txt', inline.dockerfile]);
    const out = extract(inline.tar);
    expect(readFileSync(join(out, inline.dockerfile), 'utf8')).toBe('FROM scratch\nCOPY a.txt /\n');
    expect(readFileSync(join(out, '.dockerignore'), 'utf8')).toBe(`b.txt\n${inline.dockerfile}\n`);

    const outside = makeContext({ 'Dockerfile': 'FROM scratch\n' });
    const bare = makeContext({ 'a.txt': 'a' });
    const external = await collect({ contextDir: bare, dockerfile: join(outside, 'Dockerfile') });
    expect(list(external.tar)).toEqual(['a.txt', external.dockerfile, '.dockerignore']);
  });

  it('holds long and non-ASCII names (PAX) and streams large files in chunks', async () => {
    const longDir = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(60)}`;
    const longName = `${longDir}/${'g'.repeat(120)}.txt`;
    const root = makeContext({ 'Dockerfile': '', [longName]: 'long', 'héllo wörld.txt': 'unicode', 'big.bin': 'x'.repeat(3 * 1024 * 1024 + 7) });
    symlinkSync(`../${'t'.repeat(150)}`, join(root, 'longlink'));
    const { tar, chunks } = await collect({ contextDir: root });
    const names = list(tar);
    expect(names).toContain(longName);
    expect(names).toContain('héllo wörld.txt');
    const out = extract(tar);
    expect(readFileSync(join(out, longName), 'utf8')).toBe('long');
    expect(readlinkSync(join(out, 'longlink'))).toBe(`../${'t'.repeat(150)}`);
    expect(lstatSync(join(out, 'big.bin')).size).toBe(3 * 1024 * 1024 + 7);
    expect(chunks).toBeGreaterThan(40);
  });

  it('fails early on a missing Dockerfile or context, and names an unreadable file', async () => {
    const root = makeContext({ 'a.txt': '' });
    await expect(createBuildContext({ contextDir: root })).rejects.toThrow(`Dockerfile not found: ${join(root, 'Dockerfile')}`);
    await expect(createBuildContext({ contextDir: join(root, 'nope'), dockerfileInline: '' })).rejects.toThrow('does not exist');
    await expect(createBuildContext({ contextDir: root, dockerfileInline: '', dockerfile: 'ignored' })).resolves.toBeDefined();
    await expect(createBuildContext({ contextDir: join(root, 'a.txt'), dockerfileInline: '' })).rejects.toThrow('is not a directory');
  });
});
