// Specification of what users read on stderr when something fails: located compose problems with
// a snippet and a caret, expected errors with a hint, internal errors without a stack unless --debug.
import { describe, expect, it } from 'vitest';
import { ConfigError, EngineError, GantryError, type ConfigIssue } from '../../src/errors.js';
import { parseSource } from '../../src/model/source.js';
import { validateTree } from '../../src/model/validate.js';
import { formatError } from '../../src/ui/format-error.js';

const plain = { color: false, debug: false, cwd: '/project' };
const text = (...lines: string[]): string => lines.join('\n');

function issue(overrides: Partial<ConfigIssue>): ConfigIssue {
  return { file: '/project/compose.yaml', line: 4, column: 5, path: ['services', 'web', 'comand'], message: 'unknown key "comand"', snippet: '    comand: echo hi', hint: 'did you mean "command"?', ...overrides };
}

describe('a compose problem', () => {
  it.each([
    {
      name: 'names the file relative to the working directory, the line, column and path, then shows the line and a caret',
      issues: [issue({})],
      expected: text(
        'compose.yaml:4:5  services.web.comand: unknown key "comand"',
        '  4 |     comand: echo hi',
        '    |     ^',
        '  hint: did you mean "command"?',
      ),
    },
    {
      name: 'keeps a file outside the working directory absolute',
      issues: [issue({ file: '/elsewhere/compose.yaml', hint: undefined })],
      expected: text('/elsewhere/compose.yaml:4:5  services.web.comand: unknown key "comand"', '  4 |     comand: echo hi', '    |     ^'),
    },
    {
      name: 'shows standard input as -',
      issues: [issue({ file: '-', hint: undefined, snippet: undefined })],
      expected: '-:4:5  services.web.comand: unknown key "comand"',
    },
    {
      name: 'without a line (a merged value) gives just the file and the path',
      issues: [{ file: '/project/compose.yaml', line: 0, column: 0, path: ['services', 'web'], message: 'service "web" has neither an image nor a build context' }],
      expected: 'compose.yaml  services.web: service "web" has neither an image nor a build context',
    },
    {
      name: 'without a path (a YAML syntax error) gives just the location',
      issues: [{ file: '/project/compose.yaml', line: 3, column: 12, path: [], message: 'YAML syntax error: Missing closing "quote', snippet: '    image: "nginx' }],
      expected: text('compose.yaml:3:12  YAML syntax error: Missing closing "quote', '  3 |     image: "nginx', '    |            ^'),
    },
    {
      name: 'shows a tab as an arrow, keeping the caret under it',
      issues: [issue({ line: 12, column: 1, path: [], message: 'tab character used for indentation; YAML allows only spaces', snippet: '\timage: nginx', hint: undefined })],
      expected: text('compose.yaml:12:1  tab character used for indentation; YAML allows only spaces', '  12 | →image: nginx', '     | ^'),
    },
    {
      name: 'cuts a very long line around the column',
      issues: [issue({ line: 1, column: 151, path: [], message: 'bad', snippet: `${'a'.repeat(150)}X${'b'.repeat(150)}`, hint: undefined })],
      expected: text('compose.yaml:1:151  bad', `  1 | …${'a'.repeat(50)}X${'b'.repeat(49)}…`, `    | ${' '.repeat(51)}^`),
    },
    {
      name: 'neutralises terminal escape sequences that come from the file',
      issues: [issue({ message: 'unknown key "\u001b[2Jx"', snippet: '    \u001b[2Jx: 1', hint: undefined })],
      expected: text('compose.yaml:4:5  services.web.comand: unknown key "?[2Jx"', '  4 |     ?[2Jx: 1', '    |     ^'),
    },
  ])('$name', ({ issues, expected }) => {
    expect(formatError(new ConfigError(issues), plain)).toBe(expected);
  });

  it('lists several problems under a count naming the files, in file and line order', () => {
    const issues = [
      issue({ file: '/project/compose.override.yaml', line: 2, column: 3, path: ['services', 'db'], message: 'expected a mapping, got null', snippet: '  db:', hint: 'the key has no value; give it one or remove the key' }),
      issue({ line: 7, column: 11, path: ['services', 'web', 'init'], message: 'expected a boolean or a string, got a number', snippet: '    init: 5', hint: undefined }),
      issue({}),
    ];
    expect(formatError(new ConfigError(issues), plain)).toBe(text(
      '3 problems in compose.override.yaml, compose.yaml:',
      '',
      'compose.override.yaml:2:3  services.db: expected a mapping, got null',
      '  2 |   db:',
      '    |   ^',
      '  hint: the key has no value; give it one or remove the key',
      '',
      'compose.yaml:4:5  services.web.comand: unknown key "comand"',
      '  4 |     comand: echo hi',
      '    |     ^',
      '  hint: did you mean "command"?',
      '',
      'compose.yaml:7:11  services.web.init: expected a boolean or a string, got a number',
      '  7 |     init: 5',
      '    |           ^',
    ));
  });

  it('renders what validateTree finds, end to end', () => {
    const source = parseSource('/project/compose.yaml', 'services:\n  web:\n    image: nginx\n    ports:\n      - 8080: 80\n');
    expect(formatError(new ConfigError(validateTree(source, source.tree)), plain)).toBe(text(
      'compose.yaml:5:9  services.web.ports[0]: expected a port as a number or a string like "8080:80", got a mapping',
      '  5 |       - 8080: 80',
      '    |         ^',
      '  hint: quote short ports, as in - "8080:80"; the long syntax uses keys such as target and published',
    ));
  });

  it('colours the location red, the snippet dim, the caret red and the hint cyan', () => {
    expect(formatError(new ConfigError([issue({})]), { ...plain, color: true })).toBe(text(
      '\u001b[1m\u001b[31mcompose.yaml:4:5\u001b[39m\u001b[22m  services.web.comand: unknown key "comand"',
      '\u001b[2m  4 |     comand: echo hi\u001b[22m',
      '    \u001b[2m|\u001b[22m     \u001b[31m^\u001b[39m',
      '  \u001b[36mhint: did you mean "command"?\u001b[39m',
    ));
  });
});

describe('an expected failure', () => {
  it.each([
    { name: 'prints its message and hint', error: new GantryError('no compose file found in /project or its parents', { hint: 'create compose.yaml, or pass -f FILE' }), expected: text('error: no compose file found in /project or its parents', '  hint: create compose.yaml, or pass -f FILE') },
    { name: 'prints only its message when it has no hint', error: new EngineError('cannot connect to the Docker daemon', { operation: 'ping', resource: 'engine' }), expected: 'error: cannot connect to the Docker daemon' },
  ])('$name', ({ error, expected }) => {
    expect(formatError(error, plain)).toBe(expected);
  });

  it('is red when coloured', () => {
    expect(formatError(new GantryError('interrupted'), { ...plain, color: true })).toBe('\u001b[31merror:\u001b[39m interrupted');
  });

  it('shows its stack and cause only under --debug', () => {
    const error = new EngineError('cannot create network demo_default', { operation: 'createNetwork', resource: 'demo_default' }, { cause: new Error('connect ECONNREFUSED /var/run/docker.sock') });
    expect(formatError(error, plain)).toBe('error: cannot create network demo_default');
    const debug = formatError(error, { ...plain, debug: true });
    expect(debug).toMatch(/^error: cannot create network demo_default\n {4}at /);
    expect(debug).toContain('\ncaused by: Error: connect ECONNREFUSED /var/run/docker.sock\n');
  });
});

describe('an unexpected failure (a bug in Gantry)', () => {
  it('says so, without a stack trace', () => {
    expect(formatError(new TypeError("Cannot read properties of undefined (reading 'ports')"), plain)).toBe(text(
      "internal error: Cannot read properties of undefined (reading 'ports')",
      '  hint: this is a bug in Gantry; run again with --debug to see where it happened',
    ));
  });

  it('shows the stack under --debug', () => {
    const out = formatError(new Error('boom'), { ...plain, debug: true });
    expect(out).toMatch(/^internal error: boom\n {4}at .*format-error\.test\.ts/);
    expect(out).not.toContain('hint:');
  });

  it('describes a thrown value that is not an Error', () => {
    expect(formatError('plain string', plain).split('\n')[0]).toBe('internal error: plain string');
    expect(formatError({ code: 42 }, plain).split('\n')[0]).toBe('internal error: {"code":42}');
  });
});
