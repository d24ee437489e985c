// Helpers for e2e tests against the real engine. They drive the docker CLI directly, so that
// set-up checks and cleanup do not depend on Gantry's own code being right.
import { createServer } from 'node:net';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

/** The offline test image built by scripts/test-images.sh (busybox: sh, true, httpd, wget…). */
export const TEST_IMAGE = 'gantry-test/busybox:1';
/** The same image in the local registry started by scripts/registry.sh. */
export const REGISTRY_IMAGE = '127.0.0.1:5000/gantry-test/busybox:1';
/** The local registry's address (no TLS; the engine trusts 127.0.0.1:5000). */
export const REGISTRY = '127.0.0.1:5000';
/** The label Compose (v1, v2) and Gantry put on everything that belongs to a project. */
export const PROJECT_LABEL = 'com.docker.compose.project';

/** The repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The Gantry executable (runs the built dist/; `npm test` builds first). */
export const GANTRY_BIN = path.join(REPO_ROOT, 'bin', 'gantry');

export interface RunResult {
  stdout: string;
  stderr: string;
  /** Exit code; -1 when the process could not be started or was killed by a signal. */
  code: number;
}

export interface RunOptions {
  cwd?: string;
  /** Added to (and overriding) the current environment. */
  env?: NodeJS.ProcessEnv;
  /** Written to the process's stdin, which is then closed. */
  input?: string;
  /** Kills the process after this long (default 120 s); the result then has code -1. */
  timeoutMs?: number;
}

/** Runs a program and collects its output. Never throws for a failing process. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let spawnError: Error | undefined;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (err) => (spawnError = err));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (spawnError) stderr += `${stderr && !stderr.endsWith('\n') ? '\n' : ''}${spawnError.message}`;
      resolve({ stdout, stderr, code: code ?? -1 });
    });
    child.stdin.on('error', () => undefined); // the process may exit before reading its input
    child.stdin.end(options.input ?? '');
  });
}

/** Runs the docker CLI (honours DOCKER_HOST). Never throws; check `code`. */
export function docker(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return run('docker', args, options);
}

/** Like {@link docker} but throws, with the command's stderr, when it exits non-zero. */
export async function dockerOk(args: readonly string[], options: RunOptions = {}): Promise<string> {
  const r = await docker(args, options);
  if (r.code !== 0) {
    throw new Error(`docker ${args.join(' ')} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return r.stdout;
}

/**
 * Runs `node bin/gantry ...args` and returns its output and exit code without throwing.
 * NO_COLOR=1 is set unless `env` says otherwise, so output can be compared as plain text.
 */
export function runGantry(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  // `--`, as in bin/gantry's shebang: node 20 would otherwise read gantry's --env-file itself.
  return run(process.execPath, ['--', GANTRY_BIN, ...args], {
    ...options,
    env: { NO_COLOR: '1', ...options.env },
  });
}

/** A fresh Compose project name: `<prefix>-<8 hex>` (lower case, valid for Compose). */
export function uniqueProjectName(prefix = 'gantry-t'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A fresh resource name for things a test creates directly (containers, networks…). */
export const uniqueName = uniqueProjectName;

async function idsOf(kind: 'container' | 'network' | 'volume', project: string): Promise<string[]> {
  const args =
    kind === 'container'
      ? ['ps', '-aq', '--filter', `label=${PROJECT_LABEL}=${project}`]
      : [kind, 'ls', '-q', '--filter', `label=${PROJECT_LABEL}=${project}`];
  const r = await docker(args);
  return r.code === 0 ? r.stdout.split('\n').map((s) => s.trim()).filter(Boolean) : [];
}

/** The unlabelled, unnamed (64-hex) volumes the containers mount: the engine's anonymous volumes. */
async function anonymousVolumesOf(containers: readonly string[]): Promise<string[]> {
  const r = await docker(['inspect', '--format', '{{range .Mounts}}{{if eq .Type "volume"}}{{.Name}} {{end}}{{end}}', ...containers]);
  return [...new Set(r.stdout.split(/\s+/).filter((name) => /^[0-9a-f]{64}$/.test(name)))];
}

/**
 * Removes everything labelled com.docker.compose.project=<project>: containers (forced, with
 * their anonymous volumes), then networks, then volumes. Best effort, never throws; returns
 * what could not be removed (empty when all is gone).
 */
export async function removeProject(project: string): Promise<string[]> {
  const left: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    left.length = 0;
    const containers = await idsOf('container', project);
    // `rm -v` misses anonymous volumes a recreate carried over (mounted by name), so note them first.
    const anonymous = containers.length ? await anonymousVolumesOf(containers) : [];
    if (containers.length) await docker(['rm', '-f', '-v', ...containers]);
    if (anonymous.length) await docker(['volume', 'rm', '-f', ...anonymous]);
    const networks = await idsOf('network', project);
    // One at a time: a single failure must not keep the others.
    for (const id of networks) await docker(['network', 'rm', id]);
    const volumes = await idsOf('volume', project);
    if (volumes.length) await docker(['volume', 'rm', '-f', ...volumes]);

    for (const kind of ['container', 'network', 'volume'] as const) {
      for (const id of await idsOf(kind, project)) left.push(`${kind} ${id}`);
    }
    if (left.length === 0) return left;
  }
  return left;
}

/**
 * Registers cleanup of the project's containers, networks and volumes when the current test
 * finishes, passed or failed. Call it inside a test (or a beforeEach); returns the name.
 * For a project shared by a whole file, call {@link removeProject} in afterAll instead.
 */
export function useProject(name: string = uniqueProjectName()): string {
  onTestFinished(async () => {
    const left = await removeProject(name);
    if (left.length) console.warn(`[test cleanup] could not remove from project ${name}: ${left.join(', ')}`);
  });
  return name;
}

/**
 * fetch with a bound on each attempt: a connection the engine's port proxy accepts before the
 * container listens can otherwise hang until the test's own timeout (seen once in 2,000 runs).
 */
export function fetchWithin(url: string, init: RequestInit = {}, timeoutMs = 5_000): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
}

export interface EventuallyOptions {
  /** Give up after this long (default 10 s) and throw the last failure. */
  timeoutMs?: number;
  /** Wait this long between attempts (default 100 ms). */
  intervalMs?: number;
}

/**
 * Retries `fn` (an async assertion or probe) until it resolves, and returns its value; throws
 * its last error after `timeoutMs`. Use it for engine state that settles over time instead of
 * sleeping in tests.
 */
export async function eventually<T>(fn: () => T | Promise<T>, options: EventuallyOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      return await fn();
    } catch (err) {
      if (Date.now() + intervalMs > deadline) {
        if (err instanceof Error) {
          try {
            err.message = `${err.message}\n(still failing after ${attempts} attempts in ${timeoutMs} ms)`;
          } catch {
            // a read-only message: throw the error as it is
          }
          throw err;
        }
        throw new Error(`still failing after ${attempts} attempts in ${timeoutMs} ms: ${String(err)}`);
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on right now (the engine may take it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
