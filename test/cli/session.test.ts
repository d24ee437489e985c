// withInterrupt: however far the work got, Ctrl-C (SIGINT) or SIGTERM ends it as InterruptedError (exit 130).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import { withInterrupt } from '../../src/cli/session.js';

/** Work that waits on the signal the way engine calls do: it rejects with the signal's own reason. */
function abortable(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}

describe('withInterrupt', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(['SIGINT', 'SIGTERM'] as const)('turns the AbortError of work interrupted by %s into InterruptedError', async (signal) => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const listeners = process.listenerCount(signal);
    const work = withInterrupt(async (s) => {
      const waiting = abortable(s);
      process.emit(signal, signal);
      return waiting;
    });
    const error = await work.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).exitCode).toBe(130);
    expect(process.listenerCount(signal)).toBe(listeners);
  });

  it('passes other failures through unchanged', async () => {
    const failure = new Error('boom');
    await expect(withInterrupt(() => Promise.reject(failure))).rejects.toBe(failure);
    expect(await withInterrupt(() => Promise.resolve(42))).toBe(42);
  });
});
