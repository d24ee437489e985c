// applyLifecycle against the fake engine: waves in order, containers of a wave together, events
// in compose's words, and a failed wave stopping the ones after it.
import { describe, expect, it } from 'vitest';
import { createRecordingSink } from '../../src/events/events.js';
import { applyLifecycle } from '../../src/engine/lifecycle.js';
import { createFakeEngine } from '../support/fake-engine.js';

const IMAGE = 'busybox:latest';

async function engineWith(names: readonly string[]) {
  const engine = createFakeEngine({ images: [IMAGE] });
  const ids: Record<string, string> = {};
  for (const name of names) {
    ids[name] = await engine.createContainer({ name, body: { Image: IMAGE, Labels: {} }, extraNetworks: [] });
    await engine.startContainer(ids[name] ?? '');
  }
  engine.resetCalls();
  return { engine, ref: (name: string) => ({ id: ids[name] ?? '', name }) };
}

describe('applyLifecycle', () => {
  it('acts wave after wave, each wave\'s containers together, with compose\'s words', async () => {
    const { engine, ref } = await engineWith(['web', 'worker', 'db']);
    const sink = createRecordingSink();
    await applyLifecycle({ engine, action: 'stop', waves: [[ref('web'), ref('worker')], [ref('db')]], sink, timeoutSeconds: 1 });
    const stops = engine.calls.filter((c) => c.operation === 'stopContainer');
    const db = stops.find((c) => c.resource === ref('db').id);
    const firstWave = stops.filter((c) => c !== db);
    expect(firstWave.every((c) => (c.endSeq ?? 0) < (db?.startSeq ?? 0))).toBe(true);
    expect(sink.events.filter((e) => e.id === 'container:db').map((e) => [e.status, e.text])).toEqual([['working', 'Stopping'], ['done', 'Stopped']]);
    expect(engine.container('db')?.state).toBe('exited');
  });

  it('pauses, unpauses, restarts and kills', async () => {
    const { engine, ref } = await engineWith(['a']);
    const sink = createRecordingSink();
    await applyLifecycle({ engine, action: 'pause', waves: [[ref('a')]], sink });
    expect(engine.container('a')?.state).toBe('paused');
    await applyLifecycle({ engine, action: 'unpause', waves: [[ref('a')]], sink });
    expect(engine.container('a')?.state).toBe('running');
    await applyLifecycle({ engine, action: 'kill', waves: [[ref('a')]], sink, signalName: 'SIGKILL' });
    expect(engine.container('a')).toMatchObject({ state: 'exited', exitCode: 137 });
    await applyLifecycle({ engine, action: 'restart', waves: [[ref('a')]], sink });
    expect(engine.container('a')?.state).toBe('running');
    expect(sink.events.map((e) => e.text)).toEqual(['Pausing', 'Paused', 'Unpausing', 'Unpaused', 'Killing', 'Killed', 'Restarting', 'Restarted']);
  });

  it('reports a failure, finishes its wave, and does not start the next one', async () => {
    const { engine, ref } = await engineWith(['a', 'b', 'c']);
    engine.failOn({ operation: 'stopContainer', resource: 'a', message: 'boom' });
    const sink = createRecordingSink();
    await expect(applyLifecycle({ engine, action: 'stop', waves: [[ref('a'), ref('b')], [ref('c')]], sink })).rejects.toThrow(/boom/);
    expect(engine.container('b')?.state).toBe('exited');
    expect(engine.container('c')?.state).toBe('running');
    expect(sink.events.find((e) => e.id === 'container:a' && e.status === 'error')?.detail).toMatch(/boom/);
  });

  it('runs the hook before each wave, so start can wait for conditions', async () => {
    const { engine, ref } = await engineWith(['a', 'b']);
    const seen: number[] = [];
    await applyLifecycle({ engine, action: 'restart', waves: [[ref('a')], [ref('b')]], sink: createRecordingSink(), beforeWave: async (i) => void seen.push(i) });
    expect(seen).toEqual([0, 1]);
  });
});
