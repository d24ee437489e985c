// Runs one command and measures it: wall time from spawn to exit, and peak RSS, through
// /usr/bin/time when it is installed, else by polling the child's VmHWM in /proc.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TIME_BIN = '/usr/bin/time';
export const hasTime = existsSync(TIME_BIN);
const scratch = mkdtempSync(join(tmpdir(), 'gbench-'));

/** @type {import('node:child_process').ChildProcess | undefined} */
let current;

/**
 * @typedef {{ ms: number, rssKb: number | undefined, cpuMs: number | undefined, code: number | null, signal: string | null, stdout: string, stderr: string }} Measurement
 * @param {readonly string[]} argv  the command and its arguments
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number }} [options]
 * @returns {Promise<Measurement>}
 */
export function measure(argv, options = {}) {
  const rssFile = join(scratch, `rss-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const [command = '', ...args] = hasTime ? [TIME_BIN, '-f', '%M %U %S', '-o', rssFile, ...argv] : argv;
  return new Promise((resolve, reject) => {
    const start = performance.now();
    // Its own process group, so Ctrl-C reaches only us and we decide how the child ends.
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    current = child;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout = tail(stdout + d); });
    child.stderr.on('data', (d) => { stderr = tail(stderr + d); });
    let hwm = 0;
    const poll = hasTime ? undefined : setInterval(() => { hwm = Math.max(hwm, readHwm(child.pid)); }, 5);
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stopChild(child), options.timeoutMs);
    child.on('error', (error) => {
      clearInterval(poll);
      clearTimeout(timer);
      current = undefined;
      reject(error);
    });
    child.on('close', (code, signal) => {
      const ms = performance.now() - start;
      clearInterval(poll);
      clearTimeout(timer);
      current = undefined;
      let rssKb = hwm > 0 ? hwm : undefined;
      let cpuMs;
      if (hasTime) {
        try {
          // The last line is ours; GNU time puts "Command exited with non-zero status N" before it.
          const [kb, user, sys] = readFileSync(rssFile, 'utf8').trim().split('\n').pop()?.split(' ').map(Number) ?? [];
          rssKb = Number.isFinite(kb) ? kb : undefined;
          cpuMs = Number.isFinite(user) && Number.isFinite(sys) ? ((user ?? 0) + (sys ?? 0)) * 1000 : undefined;
        } catch { /* the child never started */ }
        rmSync(rssFile, { force: true });
      }
      resolve({ ms, rssKb, cpuMs, code, signal, stdout, stderr });
    });
  });
}

/** VmHWM of a live process in kB, or 0 once it is gone. */
function readHwm(/** @type {number | undefined} */ pid) {
  if (pid === undefined) return 0;
  try {
    const match = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function tail(/** @type {string} */ text) {
  return text.length > 8000 ? text.slice(-8000) : text;
}

/** SIGTERM to the child's own process group (Gantry treats it as Ctrl-C), SIGKILL 10 s later. */
function stopChild(/** @type {import('node:child_process').ChildProcess} */ child) {
  if (child.pid === undefined || child.exitCode !== null) return;
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
  setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
  }, 10_000).unref();
}

/** Ends the command running now, if any, and waits for it. */
export async function stopCurrent() {
  const child = current;
  if (child === undefined) return;
  const closed = new Promise((resolve) => child.once('close', resolve));
  stopChild(child);
  await closed;
}

export function removeScratch() {
  rmSync(scratch, { recursive: true, force: true });
}
