// The removal of a duplicated network (see test/plan/duplicate-networks.test.ts) on the executor
// side: a copy still in use fails `up` with DuplicateNetworkError, since the engine would refuse
// to start any container on the shared name, while `down` keeps a network in use with a warning.
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { executePlan, ExecutionError } from '../../src/engine/execute.js';
import { DuplicateNetworkError, EngineError } from '../../src/errors.js';
import { createRecordingSink } from '../../src/events/events.js';
import type { Plan } from '../../src/plan/plan.js';
import { createFakeEngine } from '../support/fake-engine.js';

const inUse = (id: string): EngineError =>
  new EngineError(`error while removing network: network demo_default id ${id} has active endpoints`, { operation: 'remove network', resource: id, statusCode: 403 });

/** An engine whose every network removal is refused as in use; records the ids asked for. */
function refusingEngine(asked: string[]): Engine {
  const engine = createFakeEngine();
  return new Proxy(engine, {
    get(target, property, receiver) {
      if (property === 'removeNetwork') return async (id: string) => { asked.push(id); throw inUse(id); };
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function removal(duplicateOf?: string): Plan {
  return {
    operations: [{
      id: 'removeNetwork network:demo_default bbbbbbbbbbbb', kind: 'removeNetwork', resource: 'network:demo_default', cause: 'duplicate', dependsOn: [],
      name: 'demo_default', networkId: 'b'.repeat(64), ...(duplicateOf === undefined ? {} : { duplicateOf }),
    }],
    warnings: [],
  };
}

describe('removing a duplicate network that is in use', () => {
  it('fails up with DuplicateNetworkError naming both ids, asked by id', async () => {
    const asked: string[] = [];
    const failure = await executePlan(removal('a'.repeat(64)), { engine: refusingEngine(asked) }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ExecutionError);
    const [error] = (failure as ExecutionError).errors;
    expect(error).toBeInstanceOf(DuplicateNetworkError);
    expect(error?.message).toBe('network demo_default has a duplicate (id bbbbbbbbbbbb, next to aaaaaaaaaaaa) that containers still use: the engine cannot start a container on a name two networks share');
    expect((error as DuplicateNetworkError).hint).toContain('docker network inspect bbbbbbbbbbbb');
    expect(asked).toEqual(['b'.repeat(64)]);
  });

  it('down (no network kept) only warns', async () => {
    const sink = createRecordingSink();
    await executePlan(removal(), { engine: refusingEngine([]), sink });
    expect(sink.events.at(-1)).toMatchObject({ id: 'network:demo_default', status: 'warning', text: 'In use' });
  });
});
