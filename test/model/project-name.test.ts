// Specification of the project name: precedence, validation of explicit names, normalisation.
import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../src/errors.js';
import { isValidProjectName, normalizeProjectName, resolveProjectName } from '../../src/model/project-name.js';

describe('resolveProjectName', () => {
  it.each([
    ['-p wins over everything', { flag: 'flag', env: { COMPOSE_PROJECT_NAME: 'env' }, topLevelName: 'top' }, 'flag'],
    ['COMPOSE_PROJECT_NAME wins over name: and the directory', { env: { COMPOSE_PROJECT_NAME: 'env' }, topLevelName: 'top' }, 'env'],
    ['top-level name: wins over the directory', { topLevelName: 'top' }, 'top'],
    ['the directory base name comes last', {}, 'myapp'],
    ['empty values count as not given', { flag: '', env: { COMPOSE_PROJECT_NAME: '' }, topLevelName: '' }, 'myapp'],
    ['an explicit name may use digits, _ and -', { flag: '1st_app-2' }, '1st_app-2'],
  ])('%s', (_why, options: { flag?: string; env?: Record<string, string>; topLevelName?: string }, expected) => {
    expect(resolveProjectName({ workingDir: '/home/me/myapp', env: {}, ...options })).toBe(expected);
  });

  it.each([
    ['lowercased', '/src/MyApp', 'myapp'],
    ['invalid characters dropped', '/src/my.app (copy)', 'myappcopy'],
    ['leading dashes and underscores dropped', '/src/__-web', 'web'],
    ['dashes and underscores kept inside', '/src/My_Web-App', 'my_web-app'],
    ['a trailing slash is ignored', '/src/site/', 'site'],
  ])('normalises the directory name: %s', (_why, workingDir, expected) => {
    expect(resolveProjectName({ workingDir, env: {} })).toBe(expected);
  });

  it.each([
    ['-p', { flag: 'My App' }, 'given with -p', 'myapp'],
    ['COMPOSE_PROJECT_NAME', { env: { COMPOSE_PROJECT_NAME: 'Web' } }, 'from COMPOSE_PROJECT_NAME', 'web'],
    ['-p with nothing salvageable', { flag: '!!!' }, 'given with -p', 'my-app'],
  ])('rejects an invalid name from %s instead of changing it', (_origin, options: { flag?: string; env?: Record<string, string>; topLevelName?: string }, origin, suggestion) => {
    const name = options.flag ?? options.env?.['COMPOSE_PROJECT_NAME'] ?? options.topLevelName ?? '';
    const error = catchUsageError(() => resolveProjectName({ workingDir: '/src/ok', env: {}, ...options }));
    expect(error.message).toBe(`invalid project name "${name}": it must contain only lowercase letters, digits, dashes and underscores, and start with a letter or digit`);
    expect(error.hint).toBe(`e.g. "${suggestion}" (the name was ${origin})`);
  });

  it('rejects an invalid top-level name: as a problem in the file, located by the caller', () => {
    const located = { file: '/src/ok/compose.yaml', line: 1, column: 7, path: ['name'] };
    const error = catchError(() => resolveProjectName({ workingDir: '/src/ok', env: {}, topLevelName: '_hidden', locateTopLevelName: (message, hint) => ({ ...located, message, hint }) }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([{
      ...located,
      message: 'invalid project name "_hidden": it must contain only lowercase letters, digits, dashes and underscores, and start with a letter or digit',
      hint: 'e.g. "hidden" (the name was from the top-level "name:")',
    }]);
  });

  it('does not blame name: when -p overrides it, even if name: is invalid', () => {
    expect(resolveProjectName({ workingDir: '/src/ok', env: {}, flag: 'good', topLevelName: 'Bad Name' })).toBe('good');
  });

  it.each(['/', '/src/---', '/src/.', '/src/日本'])('asks for -p when the directory %j gives no name', (workingDir) => {
    const error = catchUsageError(() => resolveProjectName({ workingDir, env: {} }));
    expect(error.message).toMatch(/^cannot derive a project name from the directory/);
    expect(error.hint).toMatch(/-p NAME/);
  });
});

describe('isValidProjectName', () => {
  it.each([
    ['app', true], ['my-app_2', true], ['0app', true],
    ['', false], ['App', false], ['-app', false], ['_app', false], ['my app', false], ['my.app', false],
  ])('%j → %s', (name, valid) => {
    expect(isValidProjectName(name)).toBe(valid);
  });
});

describe('normalizeProjectName', () => {
  it.each([['Hello World', 'helloworld'], ['--x', 'x'], ['a.b_c-d', 'ab_c-d'], ['...', '']])('%j → %j', (name, expected) => {
    expect(normalizeProjectName(name)).toBe(expected);
  });
});

function catchUsageError(fn: () => unknown): UsageError {
  const error = catchError(fn);
  if (error instanceof UsageError) return error;
  throw error;
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
