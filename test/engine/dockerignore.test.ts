// The .dockerignore rules, table-driven from Docker's documentation ("Dockerfile reference:
// .dockerignore file") and moby/patternmatcher's own cases.
import { describe, expect, it } from 'vitest';
import { cleanPath, createIgnoreMatcher, parseDockerignore } from '../../src/engine/dockerignore.js';

const excluded = (file: string, path: string): boolean => createIgnoreMatcher(parseDockerignore(file)).isExcluded(path);

describe('parseDockerignore', () => {
  it.each([
    ['comments only in the first column, blank lines dropped', '# comment\n\n  # not a comment\n', ['# not a comment']],
    ['surrounding spaces trimmed, CRLF accepted', '  a.txt  \r\nb\r\n', ['a.txt', 'b']],
    ['leading and trailing slashes removed', '/foo/bar/\n/\n', ['foo/bar', '/']],
    ['paths cleaned as Go does', './a//b/../c\n', ['a/c']],
    ['exceptions keep their ! and are cleaned too', '! /keep/me/ \n', ['!keep/me']],
    ['a byte-order mark is not part of the first pattern', '\uFEFFfirst\n', ['first']],
  ])('%s', (_name, text, patterns) => {
    expect(parseDockerignore(text)).toEqual(patterns);
  });
});

describe('isExcluded', () => {
  // [.dockerignore, path, excluded?]
  const cases: [string, string, boolean][] = [
    // Docker's documented examples.
    ['*/temp*', 'somedir/temporary.txt', true],
    ['*/temp*', 'somedir/temp', true],
    ['*/temp*', 'temp', false],
    ['*/temp*', 'a/b/temp', false],
    ['*/*/temp*', 'somedir/subdir/temporary.txt', true],
    ['*/*/temp*', 'somedir/temporary.txt', false],
    ['temp?', 'tempa', true],
    ['temp?', 'tempb', true],
    ['temp?', 'temp', false],
    ['temp?', 'tempab', false],
    ['temp?', 'dir/tempa', false],
    ['**/*.go', 'main.go', true],
    ['**/*.go', 'a/b/c/main.go', true],
    ['**/*.go', 'main.go.txt', false],
    ['*.md\n!README.md', 'CHANGES.md', true],
    ['*.md\n!README.md', 'README.md', false],
    ['*.md\n!README*.md\nREADME-secret.md', 'README-secret.md', true],
    ['*.md\n!README*.md\nREADME-secret.md', 'README-public.md', false],
    ['*.md\nREADME-secret.md\n!README*.md', 'README-secret.md', false],
    // A pattern that matches a directory matches everything inside it.
    ['node_modules', 'node_modules/x/index.js', true],
    ['node_modules/', 'node_modules/x/index.js', true],
    ['/node_modules', 'node_modules', true],
    ['node_modules', 'src/node_modules', false],
    ['**/node_modules', 'src/node_modules/x.js', true],
    ['build/*', 'build/out/a.o', true],
    ['build/*', 'build', false],
    // `**` at the end, at the start, in the middle.
    ['dist/**', 'dist/a/b', true],
    ['**', 'anything/at/all', true],
    ['a/**/z', 'a/z', true],
    ['a/**/z', 'a/b/c/z', true],
    ['a/**/z', 'a/b/c/y', false],
    // Classes, escapes and characters that mean something in regular expressions.
    ['[a-c].txt', 'b.txt', true],
    ['[a-c].txt', 'd.txt', false],
    ['[^a].txt', 'a.txt', false],
    ['\\*.txt', '*.txt', true],
    ['\\*.txt', 'x.txt', false],
    ['a.b', 'axb', false],
    ['a+b(c)', 'a+b(c)', true],
    ['$HOME', '$HOME', true],
    // Exceptions can re-include inside an excluded directory, and be overridden again.
    ['dir\n!dir/keep', 'dir/keep', false],
    ['dir\n!dir/keep', 'dir/keep/deeper.txt', false],
    ['dir\n!dir/keep', 'dir/other', true],
    ['*\n!src\nsrc/*.tmp', 'src/a.tmp', true],
    ['*\n!src\nsrc/*.tmp', 'src/a.ts', false],
    // Patterns are case-sensitive, and `?`/`*` never cross a '/'.
    ['*.TXT', 'a.txt', false],
    ['a?b', 'a/b', false],
    ['a*b', 'a/b', false],
  ];
  it.each(cases)('%j excludes %s: %s', (file, path, expected) => {
    expect(excluded(file, path)).toBe(expected);
  });

  it('rejects a lone "!" and an unclosed class, naming the file', () => {
    expect(() => createIgnoreMatcher(['!'], 'ctx/.dockerignore')).toThrow('ctx/.dockerignore: illegal exclusion pattern "!"');
    expect(() => createIgnoreMatcher(['a[b'], 'ctx/.dockerignore')).toThrow('ctx/.dockerignore: invalid pattern "a[b"');
  });
});

describe('mayIncludeInside', () => {
  it.each([
    [['dir', '!dir/keep'], 'dir', true],
    [['dir', '!dir/keep'], 'dir/sub', false],
    [['dir', '!dir/keep/deeper.txt'], 'dir/keep', true],
    [['dir', '!dirt'], 'dir', false],
    [['dir'], 'dir', false],
    // Docker compares the exception's text, so a wildcard at the directory's level is not seen.
    [['dir', '!*/keep'], 'dir', false],
  ])('%j: enter %s → %s', (patterns, dir, expected) => {
    expect(createIgnoreMatcher(patterns).mayIncludeInside(dir)).toBe(expected);
  });
});

describe('cleanPath', () => {
  it.each([
    ['', '.'], ['.', '.'], ['a/', 'a'], ['a//b', 'a/b'], ['./a/./b', 'a/b'], ['a/../..', '..'], ['/../a', '/a'], ['/', '/'], ['a/b/../c', 'a/c'],
  ])('%j → %j', (path, clean) => {
    expect(cleanPath(path)).toBe(clean);
  });
});
