import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { resolveRunFlags, type RunOptions } from '../../src/cli/run-flags.js';

const terminal = { isTerminal: true, env: {} };
const piped = { isTerminal: false, env: {} };

describe('resolveRunFlags', () => {
  it('defaults as compose does: stdin open, a TTY only on a terminal, each service\'s pull_policy, no aliases', () => {
    expect(resolveRunFlags({}, terminal)).toEqual({
      detach: false, tty: true, interactive: true, pull: 'policy', build: 'missing', removeOrphans: false,
      quiet: false, quietPull: false, quietBuild: false, useAliases: false, labels: [], volumes: [], capAdd: [], capDrop: [],
    });
    expect(resolveRunFlags({}, piped)).toMatchObject({ tty: false, interactive: true });
  });

  it('turns the TTY off with -T, on with -t even when piped, and rejects both together', () => {
    expect(resolveRunFlags({ TTY: false }, terminal).tty).toBe(false);
    expect(resolveRunFlags({ tty: true }, piped).tty).toBe(true);
    expect(() => resolveRunFlags({ tty: true, TTY: false }, terminal)).toThrow('--tty and --no-TTY cannot be used together');
  });

  it('attaches nothing with -d: no TTY, no stdin', () => {
    expect(resolveRunFlags({ detach: true, tty: true, interactive: true }, terminal)).toMatchObject({ detach: true, tty: false, interactive: false });
  });

  it('closes stdin with --no-interactive', () => {
    expect(resolveRunFlags({ interactive: false }, piped).interactive).toBe(false);
  });

  it('accepts --pull always, missing and never, and says what it expected otherwise', () => {
    for (const pull of ['always', 'missing', 'never'] as const) expect(resolveRunFlags({ pull }, piped).pull).toBe(pull);
    expect(() => resolveRunFlags({ pull: 'sometimes' }, piped)).toThrow(UsageError);
    expect(() => resolveRunFlags({ pull: 'sometimes' }, piped)).toThrow('invalid --pull "sometimes": expected always, missing or never');
  });

  it('builds every image with --build, only missing ones without', () => {
    expect(resolveRunFlags({ build: true }, piped).build).toBe('always');
  });

  it('rejects --service-ports with --publish, as compose does', () => {
    expect(() => resolveRunFlags({ servicePorts: true, publish: ['8080:80'] }, piped)).toThrow('--service-ports and --publish are incompatible');
    expect(resolveRunFlags({ servicePorts: true, publish: [] }, piped).detach).toBe(false);
  });

  it('passes capabilities through and rejects what cannot be one', () => {
    const options: RunOptions = { capAdd: ['NET_ADMIN', 'ALL'], capDrop: ['cap_chown'] };
    expect(resolveRunFlags(options, piped)).toMatchObject({ capAdd: ['NET_ADMIN', 'ALL'], capDrop: ['cap_chown'] });
    expect(() => resolveRunFlags({ capAdd: [''] }, piped)).toThrow(/invalid --cap-add ""/);
    expect(() => resolveRunFlags({ capDrop: ['NET ADMIN'] }, piped)).toThrow(/invalid --cap-drop "NET ADMIN"/);
  });

  it('removes orphans with --remove-orphans or COMPOSE_REMOVE_ORPHANS, like up', () => {
    expect(resolveRunFlags({ removeOrphans: true }, piped).removeOrphans).toBe(true);
    expect(resolveRunFlags({}, { isTerminal: false, env: { COMPOSE_REMOVE_ORPHANS: 'true' } }).removeOrphans).toBe(true);
    expect(resolveRunFlags({}, { isTerminal: false, env: { COMPOSE_REMOVE_ORPHANS: '0' } }).removeOrphans).toBe(false);
  });

  it('keeps -q, --quiet-pull, --quiet-build and --use-aliases', () => {
    expect(resolveRunFlags({ quiet: true, quietPull: true, quietBuild: true, useAliases: true }, piped)).toMatchObject({ quiet: true, quietPull: true, quietBuild: true, useAliases: true });
  });

  it('reads --labels and --volumes as -l and -v, as compose does', () => {
    const settings = resolveRunFlags({ label: ['a=1'], labels: ['b=2'], volume: ['/x:/x'], volumes: ['data:/data'] }, piped);
    expect(settings).toMatchObject({ labels: ['a=1', 'b=2'], volumes: ['/x:/x', 'data:/data'] });
  });
});
