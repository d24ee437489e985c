// Reads `.env` files and services' `env_file:` contents with docker compose's rules, pointing any
// broken line out by file, line and column.
import { ConfigError } from '../errors.js';
import { lineAt } from './source.js';
import { substituteTemplate, TemplateError, type Lookup } from './template.js';

/**
 * Parses a project `.env` (or `--env-file`) file. Lines are `KEY=value` or `export KEY=value`;
 * `#` starts a comment on its own line or after whitespace in an unquoted value. Single-quoted
 * values are literal; double-quoted ones understand \n \r \t \" \\ \$ and may span lines;
 * unquoted ones are trimmed. Unquoted and double-quoted values are interpolated, looking
 * variables up in `lookup` (the shell) first, then in the earlier keys of this file (unset ones become '').
 * A line without '=' is an error here. Throws ConfigError.
 */
export function parseDotenv(text: string, file: string, lookup?: Lookup): Map<string, string> {
  return parseEntries(text, file, lookup, 'dotenv');
}

/**
 * Parses a service's `env_file:` with the rules of parseDotenv, except that a line holding only
 * `KEY` takes KEY's value from `lookup` and is left out when lookup has none (as compose does),
 * so every value in the result is a string.
 */
export function parseEnvFile(text: string, file: string, lookup: Lookup): Map<string, string> {
  return parseEntries(text, file, lookup, 'env_file');
}

type Mode = 'dotenv' | 'env_file';

interface Cursor {
  readonly text: string;
  readonly file: string;
  readonly lineStarts: readonly number[];
  pos: number;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const NAME_HINT = 'a name starts with a letter or "_" and holds only letters, digits, "_", "." and "-"';

function parseEntries(rawText: string, file: string, lookup: Lookup | undefined, mode: Mode): Map<string, string> {
  const text = rawText.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const cursor: Cursor = { text, file, lineStarts: indexLines(text), pos: 0 };
  const values = new Map<string, string>();
  // As compose does: the shell (lookup) wins over keys defined earlier in the same file.
  const resolve: Lookup = (name) => lookup?.(name) ?? values.get(name);
  while (skipBlankAndComments(cursor)) {
    const key = readKey(cursor);
    if (key.bare) {
      if (mode === 'dotenv') throw errorAt(cursor, key.offset, `"${key.name}" has no "=" and no value`, `write ${key.name}=value, or ${key.name}= for an empty value`);
      const inherited = lookup?.(key.name);
      if (inherited !== undefined) values.set(key.name, inherited);
      continue;
    }
    values.set(key.name, readValue(cursor, resolve));
  }
  return values;
}

/** Moves to the start of the next statement; false at the end of the text. */
function skipBlankAndComments(cursor: Cursor): boolean {
  const { text } = cursor;
  while (cursor.pos < text.length) {
    const c = text[cursor.pos];
    if (c === '#') {
      const end = text.indexOf('\n', cursor.pos);
      cursor.pos = end < 0 ? text.length : end + 1;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\v') {
      cursor.pos++;
    } else {
      return true;
    }
  }
  return false;
}

/** Reads `[export ]KEY` up to '=' (consumed) or the end of the line (a bare key). */
function readKey(cursor: Cursor): { name: string; offset: number; bare: boolean } {
  const { text } = cursor;
  const exported = /^export[ \t]+/.exec(text.slice(cursor.pos, cursor.pos + 64));
  if (exported) cursor.pos += exported[0].length;
  const start = cursor.pos;
  let end = start;
  while (end < text.length && text[end] !== '=' && text[end] !== '\n') end++;
  const name = text.slice(start, end).trimEnd();
  const bare = text[end] !== '=';
  cursor.pos = bare ? end : end + 1;
  if (name === '') throw errorAt(cursor, end, 'missing variable name before "="', 'write KEY=value');
  if (bare && !NAME.test(name)) throw errorAt(cursor, start, `expected KEY=value, found "${name}"`, 'each line holds one KEY=value; comments start with #');
  if (!NAME.test(name)) {
    const bad = name.search(/[^A-Za-z0-9_.-]/);
    const detail = bad >= 0 ? `: unexpected ${describeChar(name[bad] ?? '')}` : '';
    throw errorAt(cursor, start + Math.max(bad, 0), `invalid variable name "${name}"${detail}`, NAME_HINT);
  }
  return { name, offset: start, bare };
}

/** Reads the value after '=', up to the end of its line (or of its closing quote). */
function readValue(cursor: Cursor, resolve: Lookup): string {
  const { text } = cursor;
  const afterEquals = cursor.pos;
  while (text[cursor.pos] === ' ' || text[cursor.pos] === '\t') cursor.pos++;
  const start = cursor.pos;
  const quote = text[start];
  if (quote === "'") return readQuoted(cursor, "'").raw;
  if (quote === '"') return interpolate(cursor, start, unescapeDoubleQuoted(readQuoted(cursor, '"').raw), resolve);
  const lineEnd = indexOfOr(text, '\n', start, text.length);
  const line = text.slice(afterEquals, lineEnd);
  // '#' starts a comment only after whitespace, so URLs with fragments and KEY=#x survive.
  const comment = line.search(/[ \t]#/);
  cursor.pos = lineEnd;
  return interpolate(cursor, start, (comment < 0 ? line : line.slice(0, comment)).trim(), resolve);
}

/** Reads a quoted value starting at the opening quote; only comments may follow on its line. */
function readQuoted(cursor: Cursor, quote: "'" | '"'): { raw: string } {
  const { text } = cursor;
  const open = cursor.pos;
  let close = open + 1;
  while (close < text.length && text[close] !== quote) close += quote === '"' && text[close] === '\\' ? 2 : 1;
  if (close >= text.length) {
    throw errorAt(cursor, open, `unterminated quoted value: the ${quote === '"' ? 'double' : 'single'} quote is never closed`, `add the closing ${quote}`);
  }
  const lineEnd = indexOfOr(text, '\n', close, text.length);
  const trailing = text.slice(close + 1, lineEnd);
  const junk = trailing.search(/[^ \t]/);
  if (junk >= 0 && trailing[junk] !== '#') {
    throw errorAt(cursor, close + 1 + junk, 'unexpected text after the closing quote', 'put the whole value inside the quotes, or start a comment with " #"');
  }
  cursor.pos = lineEnd;
  return { raw: text.slice(open + 1, close) };
}

/** Turns double-quoted escapes into characters; the result is still a template, so \$ becomes $$. */
function unescapeDoubleQuoted(raw: string): string {
  return raw.replace(/\\(.)/gs, (match, c: string) => {
    switch (c) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case '"': return '"';
      case '\\': return '\\';
      case '$': return '$$';
      default: return match;
    }
  });
}

function interpolate(cursor: Cursor, offset: number, template: string, resolve: Lookup): string {
  try {
    return substituteTemplate(template, resolve).value;
  } catch (error) {
    if (error instanceof TemplateError) throw errorAt(cursor, offset, error.message, error.hint);
    throw error;
  }
}

function errorAt(cursor: Cursor, offset: number, message: string, hint?: string): ConfigError {
  const { line, column } = positionOf(cursor.lineStarts, offset);
  return new ConfigError([{
    file: cursor.file, line, column, path: [], message,
    snippet: lineAt(cursor.text, line),
    ...(hint ? { hint } : {}),
  }]);
}

function indexLines(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of an offset, by binary search over the line starts. */
function positionOf(lineStarts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - (lineStarts[low] ?? 0) + 1 };
}

function indexOfOr(text: string, search: string, from: number, fallback: number): number {
  const found = text.indexOf(search, from);
  return found < 0 ? fallback : found;
}

function describeChar(c: string): string {
  return c === ' ' ? 'space' : c === '\t' ? 'tab' : `"${c}"`;
}
