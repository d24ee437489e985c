// Reading real engine state for the CLI e2e tests (up, down, ps) through the docker CLI, so the
// checks never depend on Gantry's own engine code, plus running Gantry in a testdata directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, onTestFinished } from 'vitest';
import { PROJECT_LABEL, REPO_ROOT, docker, dockerOk, runGantry, type RunResult } from './project.js';

/** The directory of an e2e scenario: test/e2e/testdata/<name> (its compose.yaml runs directly too). */
export function testdata(name: string): string {
  return path.join(REPO_ROOT, 'test', 'e2e', 'testdata', name);
}

/** Runs gantry in `dir`; `env` adds variables (for interpolated values in the scenario's file). */
export function gantryIn(dir: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return runGantry(args, { cwd: dir, env });
}

/** Like {@link gantryIn} but fails the test, with gantry's output, unless it exits 0. */
export async function gantryOk(dir: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const result = await gantryIn(dir, args, env);
  expect(result.code, `gantry ${args.join(' ')} exited ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(0);
  return result;
}

/** An empty directory (no compose file in it), removed when the test finishes. */
export function useEmptyDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gantry-e2e-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The parts of `docker inspect <container>` these tests read. */
export interface InspectedContainer {
  readonly Id: string;
  readonly Name: string;
  readonly State: {
    readonly Status: string;
    readonly ExitCode: number;
    readonly StartedAt: string;
    readonly FinishedAt: string;
    readonly Health?: { readonly Status: string };
  };
  readonly Config: { readonly Labels: Record<string, string>; readonly Env: readonly string[] };
  readonly NetworkSettings: {
    readonly Networks: Record<string, { readonly Aliases: readonly string[] | null }>;
    readonly Ports: Record<string, readonly { HostIp: string; HostPort: string }[] | null>;
  };
  readonly Mounts: readonly { readonly Type: string; readonly Name?: string; readonly Destination: string }[];
}

export async function inspectContainer(nameOrId: string): Promise<InspectedContainer> {
  const [first] = JSON.parse(await dockerOk(['container', 'inspect', nameOrId])) as InspectedContainer[];
  if (first === undefined) throw new Error(`docker inspect ${nameOrId} returned nothing`);
  return first;
}

/** Labels of a network or volume. */
export async function resourceLabels(kind: 'network' | 'volume', name: string): Promise<Record<string, string>> {
  return JSON.parse(await dockerOk([kind, 'inspect', '--format', '{{json .Labels}}', name])) as Record<string, string>;
}

export async function exists(kind: 'container' | 'network' | 'volume', name: string): Promise<boolean> {
  return (await docker([kind, 'inspect', name])).code === 0;
}

function lines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Names of the project's containers (all states), sorted. */
export async function containerNames(project: string, options: { running?: boolean } = {}): Promise<string[]> {
  const all = options.running === true ? [] : ['-a'];
  return lines(await dockerOk(['ps', ...all, '--filter', `label=${PROJECT_LABEL}=${project}`, '--format', '{{.Names}}'])).sort();
}

/** Full ids of the project's containers. */
export async function containerIds(project: string, options: { all?: boolean } = {}): Promise<string[]> {
  const all = options.all === true ? ['-a'] : [];
  return lines(await dockerOk(['ps', ...all, '-q', '--no-trunc', '--filter', `label=${PROJECT_LABEL}=${project}`])).sort();
}

/** Names of the project's networks or volumes, sorted. */
export async function resourceNames(kind: 'network' | 'volume', project: string): Promise<string[]> {
  return lines(await dockerOk([kind, 'ls', '--filter', `label=${PROJECT_LABEL}=${project}`, '--format', '{{.Name}}'])).sort();
}

/** What identifies a container run: recreating changes the id, restarting changes StartedAt. */
export async function identity(name: string): Promise<{ id: string; startedAt: string }> {
  const c = await inspectContainer(name);
  return { id: c.Id, startedAt: c.State.StartedAt };
}

/** One engine event about a container, as `docker events` reports it. */
export interface ContainerEvent {
  readonly name: string;
  readonly action: string;
  /** Milliseconds since the epoch, on the engine's clock. */
  readonly time: number;
  readonly exitCode?: string;
  readonly signal?: string;
}

/** The engine's events (die, kill, start…) for a project's containers between two instants, oldest first. */
export async function containerEvents(project: string, since: Date, until: Date, actions: readonly string[]): Promise<ContainerEvent[]> {
  const out = await dockerOk([
    'events', '--since', since.toISOString(), '--until', until.toISOString(),
    '--filter', 'type=container', ...actions.flatMap((a) => ['--filter', `event=${a}`]),
    '--filter', `label=${PROJECT_LABEL}=${project}`, '--format', '{{json .}}',
  ]);
  return lines(out).map((line) => {
    const event = JSON.parse(line) as { Action: string; timeNano: number; Actor: { Attributes: Record<string, string> } };
    const attributes = event.Actor.Attributes;
    return {
      name: attributes.name ?? '',
      action: event.Action,
      time: Math.floor(event.timeNano / 1e6),
      ...(attributes.exitCode === undefined ? {} : { exitCode: attributes.exitCode }),
      ...(attributes.signal === undefined ? {} : { signal: attributes.signal }),
    };
  });
}

/**
 * What exists on the engine for a project: anything labelled with it (containers in any state,
 * networks, volumes), and anything whose name starts with one of `namePrefixes` (default: the
 * project name), as 'container NAME' lines, sorted. Six list calls, run at once.
 */
export async function projectLeftovers(project: string, namePrefixes: readonly string[] = [project]): Promise<string[]> {
  const list = async (kind: 'container' | 'network' | 'volume', filter: string): Promise<string[]> => {
    const args = kind === 'container' ? ['ps', '-a', '--filter', filter, '--format', '{{.Names}}'] : [kind, 'ls', '--filter', filter, '--format', '{{.Name}}'];
    return lines(await dockerOk(args)).map((name) => `${kind} ${name}`);
  };
  const kinds = ['container', 'network', 'volume'] as const;
  const labelled = kinds.map((kind) => list(kind, `label=${PROJECT_LABEL}=${project}`));
  // The name filter matches substrings; only names that start with the prefix count.
  const named = namePrefixes.flatMap((prefix) => kinds.map(async (kind) => (await list(kind, `name=${prefix}`)).filter((line) => line.slice(kind.length + 1).startsWith(prefix))));
  return [...new Set((await Promise.all([...labelled, ...named])).flat())].sort();
}
