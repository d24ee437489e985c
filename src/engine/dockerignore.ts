// .dockerignore as the Docker CLI reads and applies it (moby/patternmatcher): which paths of a
// build context are left out, and which excluded directories must still be walked for exceptions.
import { GantryError } from '../errors.js';

export interface IgnorePattern {
  /** The cleaned pattern, without its `!`: 'node_modules', 'src/**\/*.test.ts'. */
  readonly pattern: string;
  /** `!pattern`: re-includes what earlier patterns excluded. */
  readonly exclusion: boolean;
  readonly regex: RegExp;
}

export interface IgnoreMatcher {
  readonly patterns: readonly IgnorePattern[];
  /** Whether the context-relative path ('a/b.txt', '/'-separated) is left out of the context. */
  isExcluded(path: string): boolean;
  /**
   * For an excluded directory: whether an exception (`!dir/keep`) may re-include something
   * inside it, so the walk must still enter it (Docker checks the exception's text as a prefix).
   */
  mayIncludeInside(directory: string): boolean;
}

/** The lines of a .dockerignore as Docker's ignorefile.ReadAll keeps them: cleaned, `!` kept. */
export function parseDockerignore(text: string): string[] {
  const patterns: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const line of lines) {
    // Only a `#` in the first column starts a comment; "  # x" is a pattern.
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    if (pattern === '') continue;
    const invert = pattern.startsWith('!');
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern !== '') {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push(invert ? `!${pattern}` : pattern);
  }
  return patterns;
}

/**
 * Compiles patterns (as parseDockerignore returns them) into a matcher. `source` names the file
 * in errors. The last pattern that matches a path (or one of its parent directories) decides.
 */
export function createIgnoreMatcher(lines: readonly string[], source = '.dockerignore'): IgnoreMatcher {
  const patterns: IgnorePattern[] = [];
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const exclusion = trimmed.startsWith('!');
    const pattern = cleanPath(exclusion ? trimmed.slice(1) : trimmed);
    if (exclusion && trimmed.length === 1) throw new GantryError(`${source}: illegal exclusion pattern "!"`);
    patterns.push({ pattern, exclusion, regex: compilePattern(pattern, source) });
  }
  const exceptions = patterns.filter((p) => p.exclusion);
  return {
    patterns,
    isExcluded: (path) => matchesOrParentMatches(patterns, path),
    mayIncludeInside: (directory) => exceptions.some((p) => `${p.pattern}/`.startsWith(`${directory}/`)),
  };
}

/** Docker's MatchesOrParentMatches: a pattern that matches a parent directory matches its contents. */
function matchesOrParentMatches(patterns: readonly IgnorePattern[], path: string): boolean {
  const parents = parentPaths(path);
  let matched = false;
  for (const p of patterns) {
    // An exclusion can only undo a match, and a plain pattern only make one.
    if (p.exclusion !== matched) continue;
    const match = p.regex.test(path) || parents.some((parent) => p.regex.test(parent));
    if (match) matched = !p.exclusion;
  }
  return matched;
}

/** 'a/b/c' → ['a', 'a/b']. */
function parentPaths(path: string): string[] {
  const parts = path.split('/');
  const parents: string[] = [];
  for (let i = 1; i < parts.length; i++) parents.push(parts.slice(0, i).join('/'));
  return parents;
}

const REGEX_SPECIAL = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

/**
 * Docker's pattern syntax as a regular expression: `*` any run of non-`/`, `?` one non-`/`,
 * `**` any number of directories, `[...]` a class, `\` escapes the next character.
 */
export function compilePattern(pattern: string, source = '.dockerignore'): RegExp {
  let regex = '^';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === '*') {
      if (chars[i + 1] === '*') {
        i++;
        // `**/` is the same as `**`.
        if (chars[i + 1] === '/') i++;
        regex += i + 1 >= chars.length ? '.*' : '(.*/)?';
      } else {
        regex += '[^/]*';
      }
    } else if (ch === '?') {
      regex += '[^/]';
    } else if (REGEX_SPECIAL.has(ch)) {
      regex += `\\${ch}`;
    } else if (ch === '\\') {
      const next = chars[i + 1];
      if (next === undefined) {
        regex += '\\\\';
      } else {
        i++;
        // Escaped letters stay letters (in Go's regexp `\d` would be a class; Docker means the character).
        regex += /[A-Za-z0-9]/.test(next) ? next : `\\${next}`;
      }
    } else {
      regex += ch;
    }
  }
  try {
    return new RegExp(`${regex}$`);
  } catch (error) {
    throw new GantryError(`${source}: invalid pattern "${pattern}"`, { cause: error, hint: 'check the brackets: a class like [a-z] must be closed' });
  }
}

/** Go's path.Clean: one `/` between elements, no `.`, `..` resolved lexically, no trailing `/`. */
export function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else {
      out.push(part);
    }
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}
