// The pure parts of build, pull and push: --build-arg parsing, and how layer progress becomes
// the lines the views show (one per change of state, not one per byte count).
import { describe, expect, it } from 'vitest';
import { parseBuildArgs } from '../../src/cli/commands/build.js';
import { createLayerTracker } from '../../src/cli/image-transfer.js';
import { UsageError } from '../../src/errors.js';

describe('parseBuildArgs', () => {
  it.each([
    [['A=1', 'B=x=y', 'C='], { A: '1', B: 'x=y', C: '' }],
    [['FROM_ENV', 'UNSET'], { FROM_ENV: 'e' }],
    [['A=1', 'A=2'], { A: '2' }],
  ])('%j → %j', (entries, args) => {
    expect(parseBuildArgs(entries, { FROM_ENV: 'e' })).toEqual(args);
  });

  it('rejects an empty key', () => {
    expect(() => parseBuildArgs(['=1'], {})).toThrow(UsageError);
  });
});

describe('createLayerTracker', () => {
  it('reports whole-image messages as they are and layers on each change of state or tenth', () => {
    const tracker = createLayerTracker();
    const lines = [
      { status: 'Pulling from team/app', layer: '1' },
      { status: 'Pulling fs layer', layer: 'aaaaaaaaaaaa' },
      { status: 'Pulling fs layer', layer: 'bbbbbbbbbbbb' },
      { status: 'Downloading', layer: 'aaaaaaaaaaaa', current: 10, total: 100 },
      { status: 'Downloading', layer: 'aaaaaaaaaaaa', current: 15, total: 100 },
      { status: 'Downloading', layer: 'aaaaaaaaaaaa', current: 55, total: 100 },
      { status: 'Pull complete', layer: 'aaaaaaaaaaaa' },
      { status: 'Already exists', layer: 'bbbbbbbbbbbb' },
      { status: '' },
      { status: 'Digest: sha256:abc' },
    ].map((p) => tracker.update(p));
    expect(lines).toEqual([
      '1: Pulling from team/app',
      'aaaaaaaaaaaa: Pulling fs layer (0/1 layers done)',
      'bbbbbbbbbbbb: Pulling fs layer (0/2 layers done)',
      'aaaaaaaaaaaa: Downloading 10% (0/2 layers done)',
      undefined,
      'aaaaaaaaaaaa: Downloading 50% (0/2 layers done)',
      'aaaaaaaaaaaa: Pull complete (1/2 layers done)',
      'bbbbbbbbbbbb: Already exists (2/2 layers done)',
      undefined,
      'Digest: sha256:abc',
    ]);
    expect(tracker.summary()).toBe('2 layers, 1 already there');
  });

  it('counts layers a push mounts from another repository as done', () => {
    const tracker = createLayerTracker();
    tracker.update({ status: 'Preparing', layer: 'aaaaaaaaaaaa' });
    expect(tracker.update({ status: 'Mounted from team/other', layer: 'aaaaaaaaaaaa' })).toBe('aaaaaaaaaaaa: Mounted from team/other (1/1 layers done)');
  });
});
