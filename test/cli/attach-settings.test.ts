// What an attached up shows and when it ends, from its flags.
import { describe, expect, it } from 'vitest';
import { checkDetachedFlags, parseWaitTimeout, resolveAttachSettings } from '../../src/cli/attach-settings.js';
import { UsageError } from '../../src/errors.js';
import { buildProject } from '../support/project-builder.js';

const project = buildProject({
  services: { db: {}, migrate: {}, web: { dependsOn: ['db', { service: 'migrate', condition: 'service_completed_successfully' }] }, tests: {} },
});
const color = { color: false };

describe('resolveAttachSettings', () => {
  it('attaches every service by default, and cascades on nothing', () => {
    const s = resolveAttachSettings(project, [], {}, color);
    expect([...s.attach].sort()).toEqual(['db', 'migrate', 'tests', 'web']);
    expect(s.cascade).toBe(false);
    expect(s.prefix).toBe(true);
  });

  it('attaches the services named on the command line', () => {
    expect([...resolveAttachSettings(project, ['web'], {}, color).attach]).toEqual(['web']);
  });

  it('lets --attach replace the set and --no-attach remove from it', () => {
    expect([...resolveAttachSettings(project, ['web'], { attachServices: ['db', 'web'], noAttach: ['web'] }, color).attach]).toEqual(['db']);
    expect([...resolveAttachSettings(project, [], { noAttach: ['db', 'migrate'] }, color).attach].sort()).toEqual(['tests', 'web']);
  });

  it('makes --exit-code-from cascade and tracks that service even when not attached', () => {
    const s = resolveAttachSettings(project, [], { attachServices: ['web'], exitCodeFrom: 'tests' }, color);
    expect(s.cascade).toBe(true);
    expect(s.exitCodeFrom).toBe('tests');
    expect([...s.tracked].sort()).toEqual(['tests', 'web']);
  });

  it('knows which services are one-shot dependencies (service_completed_successfully)', () => {
    expect([...resolveAttachSettings(project, [], {}, color).completedDependencies]).toEqual(['migrate']);
  });

  it.each([
    [{ attachServices: ['nope'] }, '--attach: no such service: nope'],
    [{ noAttach: ['nope'] }, '--no-attach: no such service: nope'],
    [{ exitCodeFrom: 'nope' }, '--exit-code-from: no such service: nope'],
  ])('refuses unknown services: %j', (flags, message) => {
    expect(() => resolveAttachSettings(project, [], flags, color)).toThrow(message);
  });
});

describe('checkDetachedFlags', () => {
  it.each([
    [{ detach: true, abortOnContainerExit: true }, '--abort-on-container-exit and -d cannot be used together'],
    [{ detach: true, exitCodeFrom: 'tests' }, '--exit-code-from and -d cannot be used together'],
    [{ wait: true, attachServices: ['web'] }, '--attach and --wait cannot be used together'],
  ])('refuses attached-only flags when detached: %j', (flags, message) => {
    expect(() => checkDetachedFlags(flags)).toThrow(message);
  });

  it('accepts them attached', () => {
    expect(() => checkDetachedFlags({ abortOnContainerExit: true, exitCodeFrom: 'tests' })).not.toThrow();
  });
});

describe('parseWaitTimeout', () => {
  it('reads seconds as milliseconds', () => {
    expect(parseWaitTimeout('3')).toBe(3000);
    expect(parseWaitTimeout('0.5')).toBe(500);
    expect(parseWaitTimeout(undefined)).toBeUndefined();
  });

  it.each(['0', '-1', 'soon'])('refuses %j', (value) => {
    expect(() => parseWaitTimeout(value)).toThrow(UsageError);
  });
});
