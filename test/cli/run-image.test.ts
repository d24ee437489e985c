// The one-off's last image check before create (cli/prerequisites.ts ensureImage): --pull wins
// over pull_policy, a build section is never pulled, and -q pulls without a word.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ensureImage } from '../../src/cli/prerequisites.js';
import { GantryError } from '../../src/errors.js';
import { createFakeEngine } from '../support/fake-engine.js';
import { buildService } from '../support/project-builder.js';

const signal = new AbortController().signal;
const pulls = (engine: ReturnType<typeof createFakeEngine>) => engine.calls.filter((c) => c.operation === 'pullImage').map((c) => c.resource);

describe('ensureImage', () => {
  afterEach(() => void vi.restoreAllMocks());

  it('refuses to pull a missing image with --pull never, naming the service, the image and the flag', async () => {
    const engine = createFakeEngine();
    const refusal = ensureImage(engine, buildService('tool', { image: 'repo/tool:1' }), { signal, pull: 'never' });
    await expect(refusal).rejects.toThrow(GantryError);
    await expect(refusal).rejects.toThrow('service "tool": image repo/tool:1 is not on the engine, and --pull never forbids pulling it');
    expect(pulls(engine)).toEqual([]);
  });

  it('follows pull_policy by default, and --pull missing overrides it', async () => {
    const engine = createFakeEngine();
    const service = buildService('tool', { image: 'repo/tool:1', pullPolicy: 'never' });
    await expect(ensureImage(engine, service, { signal })).rejects.toThrow('pull_policy: never forbids pulling it');
    vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    await ensureImage(engine, service, { signal, pull: 'missing' });
    expect(pulls(engine)).toEqual(['repo/tool:1']);
  });

  it('does nothing when the image is there, even with --pull never', async () => {
    const engine = createFakeEngine({ images: ['repo/tool:1'] });
    await ensureImage(engine, buildService('tool', { image: 'repo/tool:1' }), { signal, pull: 'never' });
    expect(pulls(engine)).toEqual([]);
  });

  it('never pulls an image the service builds, and says how to build it', async () => {
    const engine = createFakeEngine();
    const service = buildService('app', { image: 'demo-app', build: { context: '/src', args: {}, labels: {}, extraHosts: [], cacheFrom: [], noCache: false, pull: false, tags: [], platforms: [] } });
    await expect(ensureImage(engine, service, { signal, pull: 'always' })).rejects.toMatchObject({ hint: expect.stringContaining('gantry run --build') });
    expect(pulls(engine)).toEqual([]);
  });

  it('says it is pulling, unless -q', async () => {
    const write = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    await ensureImage(createFakeEngine(), buildService('tool', { image: 'repo/tool:1' }), { signal });
    expect(write).toHaveBeenCalledWith('Pulling repo/tool:1\n');
    write.mockClear();
    await ensureImage(createFakeEngine(), buildService('tool', { image: 'repo/tool:1' }), { signal, quiet: true });
    expect(write).not.toHaveBeenCalled();
  });
});
