import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRunEnvFiles } from '../../src/cli/run-env-files.js';
import { ConfigError, UsageError } from '../../src/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gantry-run-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  writeFileSync(path.join(dir, name), text);
  return name;
}

describe('readRunEnvFiles (--env-from-file)', () => {
  it('reads KEY=VALUE lines relative to the working directory; later files win over earlier ones', () => {
    const first = file('a.env', '# comment\nA=1\nB="two words"\n');
    const second = file('b.env', 'B=2\nexport C=3\n');
    expect(readRunEnvFiles({ files: [first, second], envFlags: [], hostEnv: {}, cwd: dir })).toEqual(['A=1', 'B=2', 'C=3']);
  });

  it('leaves what -e sets to -e, and interpolates with the -e values and earlier lines, not the shell\'s', () => {
    const env = file('c.env', 'A=file\nB=file\nHOST=file\nD=${A}-${SHELL_ONLY}-d\n');
    const flags = { envFlags: ['A=flag', 'HOST'], hostEnv: { HOST: 'h', SHELL_ONLY: 'shell' }, cwd: dir };
    expect(readRunEnvFiles({ files: [env], ...flags })).toEqual(['B=file', 'D=flag--d']);
    expect(readRunEnvFiles({ files: [env], envFlags: [], hostEnv: {}, cwd: dir })).toEqual(['A=file', 'B=file', 'HOST=file', 'D=file--d']);
  });

  it('names a file it cannot read, and a bad line by file and line', () => {
    expect(() => readRunEnvFiles({ files: ['missing.env'], envFlags: [], hostEnv: {}, cwd: dir })).toThrow(UsageError);
    expect(() => readRunEnvFiles({ files: ['missing.env'], envFlags: [], hostEnv: {}, cwd: dir })).toThrow('cannot read --env-from-file missing.env: ENOENT');
    const bad = file('bad.env', 'GOOD=1\n1BAD=x\n');
    expect(() => readRunEnvFiles({ files: [bad], envFlags: [], hostEnv: {}, cwd: dir })).toThrow(ConfigError);
  });
});
