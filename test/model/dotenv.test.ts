// Specification of .env and env_file parsing, docker compose's rules.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { parseDotenv, parseEnvFile } from '../../src/model/dotenv.js';

const FILE = '/project/.env';
const shell: Record<string, string> = { HOME: '/home/me', EMPTY: '' };
const lookup = (name: string): string | undefined => (Object.hasOwn(shell, name) ? shell[name] : undefined);

const parse = (text: string): Record<string, string> => Object.fromEntries(parseDotenv(text, FILE, lookup));

describe('parseDotenv', () => {
  it.each([
    ['KEY=value', 'A=1', { A: '1' }],
    ['export prefix', 'export A=1', { A: '1' }],
    ['export with tabs', 'export\tA=1', { A: '1' }],
    ['a key named export', 'export=1', { export: '1' }],
    ['empty value', 'A=', { A: '' }],
    ['blank lines and full-line comments', '\n# comment\n  # indented comment\n\nA=1\n\n', { A: '1' }],
    ['CRLF line endings', 'A=1\r\nB=2\r\n', { A: '1', B: '2' }],
    ['a byte-order mark', '\uFEFFA=1', { A: '1' }],
    ['spaces around = and the value', '  A  =   spaced out   ', { A: 'spaced out' }],
    ['inline comment after whitespace', 'A=value # comment', { A: 'value' }],
    ['inline comment after a tab', 'A=value\t# comment', { A: 'value' }],
    ['# without whitespace is part of the value', 'URL=http://x/#frag', { URL: 'http://x/#frag' }],
    ['# right after = is part of the value', 'A=#x', { A: '#x' }],
    ['only a comment after = gives an empty value', 'A= # nothing here', { A: '' }],
    ['later keys win', 'A=1\nA=2', { A: '2' }],
    ['= inside the value', 'A=b=c', { A: 'b=c' }],
    ['names with dots and dashes', 'a.b-c=1', { 'a.b-c': '1' }],
    ['single quotes are literal', "A='$HOME \\n # x'", { A: '$HOME \\n # x' }],
    ['double quotes keep spaces and #', 'A=" padded # not a comment "', { A: ' padded # not a comment ' }],
    ['double-quote escapes', 'A="l1\\nl2\\tt\\r\\"q\\" \\\\ \\$HOME \\x"', { A: 'l1\nl2\tt\r"q" \\ $HOME \\x' }],
    ['multi-line double quotes', 'A="line 1\nline 2"\nB=2', { A: 'line 1\nline 2', B: '2' }],
    ['multi-line single quotes', "A='line 1\nline 2'", { A: 'line 1\nline 2' }],
    ['comment after a quoted value', 'A="x" # comment\nB=\'y\'#c', { A: 'x', B: 'y' }],
    ['empty quoted values', 'A=""\nB=\'\'', { A: '', B: '' }],
    ['interpolates unquoted values from lookup', 'A=$HOME/bin', { A: '/home/me/bin' }],
    ['interpolates double-quoted values', 'A="${HOME}/x"', { A: '/home/me/x' }],
    ['defaults work', 'A=${NOPE:-dflt}', { A: 'dflt' }],
    ['unset variables become empty', 'A=x${NOPE}y', { A: 'xy' }],
    ['earlier keys of the file are used', 'A=1\nB=${A}2', { A: '1', B: '12' }],
    ['the shell (lookup) wins over earlier keys, as in compose', 'HOME=/override\nB=$HOME', { HOME: '/override', B: '/home/me' }],
    ['$$ is a literal dollar', 'A=$$HOME', { A: '$HOME' }],
    ['a nested default reading the file', 'A=1\nB=${NOPE:-${A}}', { A: '1', B: '1' }],
  ])('%s', (_why, text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it('works without a lookup', () => {
    expect(Object.fromEntries(parseDotenv('A=${HOME:-none}', FILE))).toEqual({ A: 'none' });
  });

  it.each([
    ['a line without =', 'A=1\nJUSTKEY', 2, 1, '"JUSTKEY" has no "=" and no value', 'write JUSTKEY=value, or JUSTKEY= for an empty value'],
    ['a missing name', '=value', 1, 1, 'missing variable name before "="', 'write KEY=value'],
    ['a space in the name', 'A=1\nKEY WITH SPACE=1', 2, 4, 'invalid variable name "KEY WITH SPACE": unexpected space', undefined],
    ['a bad character in the name', 'KE$Y=1', 1, 3, 'invalid variable name "KE$Y": unexpected "$"', undefined],
    ['a name starting with a digit', '1KEY=1', 1, 1, 'invalid variable name "1KEY"', undefined],
    ['a line that is not an assignment', 'hello world', 1, 1, 'expected KEY=value, found "hello world"', undefined],
    ['an unterminated double quote', 'A=1\nB="never closed\nC=3', 2, 3, 'unterminated quoted value: the double quote is never closed', 'add the closing "'],
    ['an unterminated single quote', "B='open", 1, 3, 'unterminated quoted value: the single quote is never closed', "add the closing '"],
    ['text after the closing quote', 'A="x" y', 1, 7, 'unexpected text after the closing quote', undefined],
    ['a malformed template', 'A=${', 1, 3, 'invalid interpolation format for "${": "${" is not closed by "}"', 'use $$ for a literal dollar sign'],
    ['a missing required variable', 'A=1\nB="${NOPE:?needed}"', 2, 3, 'required variable NOPE is missing a value: needed', undefined],
  ])('rejects %s with file, line and column', (_why, text, line, column, message, hint) => {
    const error = catchConfigError(() => parseDotenv(text, FILE, lookup));
    expect(error.issues).toHaveLength(1);
    const issue = error.issues[0];
    expect(issue).toMatchObject({ file: FILE, line, column, message });
    expect(issue?.hint).toBeTruthy();
    if (hint !== undefined) expect(issue?.hint).toBe(hint);
    expect(issue?.snippet).toBe(text.split('\n')[line - 1]);
  });
});

describe('parseEnvFile (a service env_file)', () => {
  const parseFile = (text: string): Record<string, string> => Object.fromEntries(parseEnvFile(text, '/p/app.env', lookup));

  it.each([
    ['KEY alone takes the value from lookup', 'HOME', { HOME: '/home/me' }],
    ['KEY alone takes an empty value from lookup', 'EMPTY', { EMPTY: '' }],
    ['KEY alone is omitted when lookup has none', 'NOPE\nA=1', { A: '1' }],
    ['export KEY alone', 'export HOME', { HOME: '/home/me' }],
    ['otherwise it parses like .env', 'A="x y" # c\nB=$A', { A: 'x y', B: 'x y' }],
  ])('%s', (_why, text, expected) => {
    expect(parseFile(text)).toEqual(expected);
  });

  it('still rejects a broken line', () => {
    expect(() => parseEnvFile('BAD KEY', '/p/app.env', lookup)).toThrow(ConfigError);
  });
});

function catchConfigError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
