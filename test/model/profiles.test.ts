// Specification of profiles, following the spec's own example (web, test_lib, coverage_lib, debug_lib).
import { describe, expect, it } from 'vitest';
import { applyProfiles } from '../../src/model/profiles.js';

const SPEC_EXAMPLE = {
  services: {
    web: { image: 'web_image' },
    test_lib: { image: 'test_lib_image', profiles: ['test'] },
    coverage_lib: { image: 'coverage_lib_image', depends_on: { test_lib: {} }, profiles: ['test'] },
    debug_lib: { image: 'debug_lib_image', depends_on: { test_lib: {} }, profiles: ['debug'] },
  },
  networks: { front: {} },
  volumes: { data: {} },
};

describe('applyProfiles', () => {
  it.each([
    ['no profile enabled: only services without profiles', [], [], ['web'], ['test_lib', 'coverage_lib', 'debug_lib']],
    ['profile test: test_lib and coverage_lib join web', ['test'], [], ['web', 'test_lib', 'coverage_lib'], ['debug_lib']],
    ['profile debug: debug_lib without its dependency (left to the consistency check)', ['debug'], [], ['web', 'debug_lib'], ['test_lib', 'coverage_lib']],
    ['profiles debug and test: everything', ['debug', 'test'], [], ['web', 'test_lib', 'coverage_lib', 'debug_lib'], []],
    ['"*" enables every profile', ['*'], [], ['web', 'test_lib', 'coverage_lib', 'debug_lib'], []],
    ['naming test_lib enables its profile', [], ['test_lib'], ['web', 'test_lib', 'coverage_lib'], ['debug_lib']],
    ['naming coverage_lib pulls test_lib in through the test profile', [], ['coverage_lib'], ['web', 'test_lib', 'coverage_lib'], ['debug_lib']],
    ['naming debug_lib does not enable test_lib', [], ['debug_lib'], ['web', 'debug_lib'], ['test_lib', 'coverage_lib']],
    ['naming debug_lib with profile test: both', ['test'], ['debug_lib'], ['web', 'test_lib', 'coverage_lib', 'debug_lib'], []],
    ['an unknown profile or service changes nothing', ['nope'], ['ghost'], ['web'], ['test_lib', 'coverage_lib', 'debug_lib']],
  ])('%s', (_name, profiles, enabledServices, active, disabled) => {
    const result = applyProfiles(SPEC_EXAMPLE, { profiles, enabledServices });
    expect(Object.keys(result.tree.services as object)).toEqual(active);
    expect(result.disabled).toEqual(disabled);
  });

  it('leaves top-level resources and the input alone', () => {
    const before = structuredClone(SPEC_EXAMPLE);
    const result = applyProfiles(SPEC_EXAMPLE, { profiles: [], enabledServices: [] });
    expect(result.tree.networks).toEqual({ front: {} });
    expect(result.tree.volumes).toEqual({ data: {} });
    expect(SPEC_EXAMPLE).toEqual(before);
  });

  it('accepts a model without services', () => {
    expect(applyProfiles({ name: 'x' }, { profiles: ['a'], enabledServices: [] })).toEqual({ tree: { name: 'x' }, disabled: [] });
  });
});
