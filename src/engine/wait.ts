// Waiting for a container to meet a depends_on condition, driven by the engine's event stream
// (no polling sleeps) and bounded by an injected Clock so tests need no real time.
import { GantryError, type DependencyFailure } from '../errors.js';
import type { Condition } from '../model/types.js';
import type { ContainerDetails, Engine, LabelFilter } from './engine.js';

/** Time as the executor sees it; tests pass a fake one to fire timeouts at will. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason if it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted === true) return reject(signal.reason);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** A container did not meet its condition: it exited, became unhealthy, or took too long. */
export class ConditionError extends GantryError {
  override name = 'ConditionError';
  readonly container: string;
  readonly reason: DependencyFailure;
  /** 'exited 1', 'is unhealthy: <output>', …: what follows "dependency db failed:". */
  readonly detail: string;
  /** The container and the evidence, without the verdict: 'demo-db-1: <last check output>'. */
  readonly evidence: string;
  constructor(container: string, reason: DependencyFailure, detail: string, evidence?: string) {
    super(`container ${container} ${detail}`);
    this.container = container;
    this.reason = reason;
    this.detail = detail;
    this.evidence = evidence ?? `${container} ${detail}`;
  }
}

export interface AwaitContainerOptions {
  readonly engine: Engine;
  /** Container name or id. */
  readonly container: string;
  readonly condition: Condition;
  /** Narrows the event subscription (project and service labels). @default every container */
  readonly filter?: LabelFilter;
  readonly signal?: AbortSignal;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Give up after this long. @default wait as long as the container can still get there */
  readonly timeoutMs?: number;
}

type Verdict = 'met' | 'pending' | ConditionError;

/**
 * Resolves with the container's details once it meets `condition`; rejects with ConditionError
 * when it cannot, with the signal's reason on abort, or with the engine's error.
 */
export async function awaitContainer(options: AwaitContainerOptions): Promise<ContainerDetails> {
  const local = new AbortController();
  const forward = (): void => local.abort(options.signal?.reason);
  if (options.signal?.aborted === true) throw options.signal.reason;
  options.signal?.addEventListener('abort', forward, { once: true });
  try {
    return await follow(options, local.signal);
  } finally {
    local.abort();
    options.signal?.removeEventListener('abort', forward);
  }
}

function follow(options: AwaitContainerOptions, signal: AbortSignal): Promise<ContainerDetails> {
  const { engine, container, condition } = options;
  return new Promise<ContainerDetails>((resolve, reject) => {
    let settled = false;
    let knownId: string | undefined;
    let last: ContainerDetails | undefined;
    let queued = false;
    let chain: Promise<void> = Promise.resolve();
    const finish = (outcome: { details: ContainerDetails } | { error: unknown }): void => {
      if (settled) return;
      settled = true;
      if ('details' in outcome) resolve(outcome.details);
      else reject(outcome.error);
    };
    // Every relevant event triggers a fresh inspect; the inspected state is the only truth, and
    // a burst of events costs one inspect because a queued one already covers them.
    const check = (): void => {
      if (queued || settled) return;
      queued = true;
      chain = chain.then(async () => {
        queued = false;
        if (settled) return;
        const details = await engine.inspectContainer(container, { signal });
        knownId = details.id;
        last = details;
        const verdict = evaluate(container, condition, details);
        if (verdict === 'met') finish({ details });
        else if (verdict !== 'pending') finish({ error: verdict });
      }).catch((error: unknown) => finish({ error }));
    };
    signal.addEventListener('abort', () => finish({ error: signal.reason }), { once: true });
    // Subscribe before the first inspect: whatever happens after that inspect arrives as an event.
    engine.watchContainers(options.filter ?? {}, (event) => {
      if (knownId === undefined || event.id === knownId) check();
    }, { signal }).then(
      () => finish({ error: signal.aborted ? signal.reason : new GantryError(`the engine's event stream ended while waiting for ${container}`) }),
      (error: unknown) => finish({ error }),
    );
    if (options.timeoutMs !== undefined) {
      (options.clock ?? systemClock).sleep(options.timeoutMs, signal).then(
        () => finish({ error: new ConditionError(container, 'timeout', timeoutDetail(condition, last), withOutput(container, last?.lastHealthOutput)) }),
        () => undefined,
      );
    }
    check();
  });
}

/** Whether the inspected state meets the condition, cannot meet it any more, or may still. */
export function evaluate(container: string, condition: Condition, details: ContainerDetails): Verdict {
  const ended = details.state === 'exited' || details.state === 'dead';
  switch (condition) {
    case 'service_started':
      return details.state === 'created' ? 'pending' : 'met';
    case 'service_completed_successfully':
      if (!ended) return 'pending';
      return details.exitCode === 0 ? 'met' : exitedError(container, details);
    case 'service_healthy':
      if (details.health === 'healthy') return 'met';
      if (ended) return exitedError(container, details);
      if (details.health === 'unhealthy') {
        return new ConditionError(container, 'unhealthy', withOutput('is unhealthy', details.lastHealthOutput), withOutput(container, details.lastHealthOutput));
      }
      if (details.health === 'none' && details.state !== 'created') return new ConditionError(container, 'failed', 'has no healthcheck to wait for');
      return 'pending';
  }
}

function exitedError(container: string, details: ContainerDetails): ConditionError {
  return new ConditionError(container, 'exited', `exited ${details.exitCode}`, `${container} exit code ${details.exitCode}`);
}

function timeoutDetail(condition: Condition, last: ContainerDetails | undefined): string {
  const wanted = condition === 'service_healthy' ? 'healthy' : condition === 'service_started' ? 'started' : 'completed';
  return withOutput(`did not become ${wanted} in time`, last?.lastHealthOutput);
}

function withOutput(text: string, output: string | undefined): string {
  return output === undefined || output === '' ? text : `${text}: ${output}`;
}
