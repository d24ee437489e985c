// Where `up` and `down` write: progress goes to stderr only (stdout stays empty, so scripts can
// pipe data commands), and `--progress json` gives one JSON object per line for machines.
import { describe, expect, it } from 'vitest';
import { containerNames, gantryIn, resourceNames, testdata } from '../support/engine-state.js';
import { useProject, type RunResult } from '../support/project.js';

const dir = testdata('progress-output');
const STATUSES = ['working', 'done', 'warning', 'error'];

interface JsonEvent {
  readonly id: string;
  readonly label: string;
  readonly status: string;
  readonly text: string;
  readonly detail?: string;
}

function expectOk(result: RunResult, what: string): void {
  expect(result.code, `${what} exited ${result.code}\nstderr:\n${result.stderr}`).toBe(0);
}

/** Every stderr line is one JSON object with string id, label, status and text; returns them. */
function parseJsonLines(stderr: string): JsonEvent[] {
  const lines = stderr.split('\n').filter((line) => line !== '');
  expect(lines.length).toBeGreaterThan(0);
  return lines.map((line) => {
    let value: unknown;
    expect(() => (value = JSON.parse(line)), `not JSON: ${line}`).not.toThrow();
    expect(value, line).toBeTypeOf('object');
    const event = value as Record<string, unknown>;
    for (const key of ['id', 'label', 'status', 'text']) expect(event[key], `${key} in ${line}`).toBeTypeOf('string');
    expect(STATUSES, line).toContain(event.status);
    // The id is `<kind>:<name>` and the label `<Kind> <name>`, for the same resource.
    const [kind = '', ...name] = String(event.id).split(':');
    expect(event.label, line).toBe(`${kind.charAt(0).toUpperCase()}${kind.slice(1)} ${name.join(':')}`);
    return event as unknown as JsonEvent;
  });
}

/** The last text each resource reported, by id. */
function finalTexts(events: readonly JsonEvent[]): Record<string, string> {
  return Object.fromEntries(events.map((e) => [e.id, `${e.status} ${e.text}`]));
}

describe('progress output', () => {
  it('up and down write progress to stderr only; quiet writes nothing', async () => {
    const project = useProject();
    const up = await gantryIn(dir, ['-p', project, 'up', '-d']);
    expectOk(up, 'up');
    expect(up.stdout).toBe('');
    expect(up.stderr).toMatch(new RegExp(`^ Container ${project}-web-1\\s+Started$`, 'm'));

    const again = await gantryIn(dir, ['-p', project, '--progress', 'quiet', 'up', '-d']);
    expectOk(again, 'up --progress quiet');
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe('');

    const down = await gantryIn(dir, ['-p', project, 'down', '-v']);
    expectOk(down, 'down');
    expect(down.stdout).toBe('');
    expect(down.stderr).toMatch(new RegExp(`^ Network ${project}_default\\s+Removed$`, 'm'));
    expect(await containerNames(project)).toEqual([]);
  });

  it('--progress json gives one event object per line for up and down', async () => {
    const project = useProject();
    const up = await gantryIn(dir, ['-p', project, '--progress', 'json', 'up', '-d']);
    expectOk(up, 'up --progress json');
    expect(up.stdout).toBe('');
    const upEvents = parseJsonLines(up.stderr);
    expect(finalTexts(upEvents)).toEqual({
      [`network:${project}_default`]: 'done Created',
      [`volume:${project}_data`]: 'done Created',
      [`container:${project}-db-1`]: 'done Started',
      [`container:${project}-web-1`]: 'done Started',
    });
    expect(upEvents.find((e) => e.id === `container:${project}-web-1`)).toMatchObject({ status: 'working', text: 'Creating', label: `Container ${project}-web-1` });

    const down = await gantryIn(dir, ['-p', project, '--progress', 'json', 'down', '-v']);
    expectOk(down, 'down --progress json');
    expect(down.stdout).toBe('');
    expect(finalTexts(parseJsonLines(down.stderr))).toEqual({
      [`network:${project}_default`]: 'done Removed',
      [`volume:${project}_data`]: 'done Removed',
      [`container:${project}-db-1`]: 'done Removed',
      [`container:${project}-web-1`]: 'done Removed',
    });
    expect(await containerNames(project)).toEqual([]);
    expect(await resourceNames('volume', project)).toEqual([]);
  });
});
