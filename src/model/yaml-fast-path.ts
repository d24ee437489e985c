// A fast path for the YAML most compose files are written in: block mappings and sequences, plain
// and quoted one-line scalars, one-line flow lists of scalars, `{}`, and literal or folded block
// scalars. It returns the same plain tree as `yaml`'s parseDocument(…).toJS() with the core schema,
// or undefined ("not sure") for anything else: anchors, aliases, tags, merge keys, multi-line
// plain or quoted scalars, complex keys, duplicate keys, tabs, CR, directives, any syntax error.
// The caller then uses `yaml`, which also locates every error. Why: `yaml` builds a CST and a
// document with positions first; on a 100-service file that is ~90 % of `config -q`'s model time,
// and positions are only needed when something is wrong or asked for (source.ts builds them lazily).
// test/model/yaml-fast-path.test.ts holds it equal to `yaml` on the corpus and on generated files.

/** Thrown to leave the fast path; never escapes this module. */
const NOT_SURE: unique symbol = Symbol('not sure');

/** Nesting deeper than this goes to `yaml` (and to the model's own depth limits). */
const MAX_DEPTH = 64;

/** Parses `text` if it is in the common subset; undefined means "use the full parser". */
export function parseCommonYaml(text: string): { value: unknown } | undefined {
  // Tabs, CR, control characters and BOMs have rules of their own; leave them to yaml.
  if (UNUSUAL_CHARACTERS.test(text)) return undefined;
  try {
    return { value: new FastParser(text).document() };
  } catch (error) {
    if (error === NOT_SURE) return undefined;
    throw error;
  }
}

const UNUSUAL_CHARACTERS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\ufeff\ufffe\uffff]/;

function notSure(): never {
  throw NOT_SURE;
}

class FastParser {
  private readonly lines: string[];
  /** Index of the current line. */
  private at = 0;
  private depth = 0;

  constructor(text: string) {
    this.lines = text.split('\n');
  }

  document(): unknown {
    const indent = this.nextContent();
    if (indent < 0) return null;
    const first = this.lines[this.at] ?? '';
    // Directives and document markers (---, ...): yaml's business.
    if (first.startsWith('%') || first.startsWith('---') || first.startsWith('...')) notSure();
    // Only a mapping at the top, as every compose file has; anything else is left to yaml.
    if (!isMapEntry(first, indent)) notSure();
    const value = this.mapping(indent);
    if (this.nextContent() >= 0) notSure();
    return value;
  }

  /**
   * Moves to the next line with content (not blank, not only a comment) and returns its
   * indentation, or -1 at the end.
   */
  private nextContent(): number {
    const { lines } = this;
    while (this.at < lines.length) {
      const line = lines[this.at] ?? '';
      const indent = indentOf(line);
      if (indent < line.length && line.charCodeAt(indent) !== HASH) return indent;
      this.at++;
    }
    return -1;
  }

  /**
   * A node whose first line starts at column `indent` of the current line. A block scalar there is
   * read only as a sequence entry (`- |`), where its content must be indented past the dash.
   */
  private node(indent: number, blockScalarAllowed = false): unknown {
    const line = this.lines[this.at] ?? '';
    if (isSequenceEntry(line, indent)) return this.sequence(indent);
    if (isMapEntry(line, indent)) return this.mapping(indent);
    // A scalar on a line of its own (a sequence item, or below its key): whatever follows must be
    // less indented.
    return this.inlineValue(line, indent, indent - 1, blockScalarAllowed);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) notSure();
  }

  private mapping(indent: number): Record<string, unknown> {
    this.enter();
    const map: Record<string, unknown> = {};
    for (;;) {
      const next = this.nextContent();
      if (next < indent) break;
      if (next > indent) notSure();
      const line = this.lines[this.at] ?? '';
      const { key, valueStart } = readKey(line, indent);
      if (key === '__proto__' || key === '<<' || Object.prototype.hasOwnProperty.call(map, key)) notSure();
      map[key] = this.valueAfterKey(line, valueStart, indent);
    }
    this.depth--;
    return map;
  }

  /** The value of `key:` at `indent`, starting at `start` on the current line. */
  private valueAfterKey(line: string, start: number, indent: number): unknown {
    const from = skipSpaces(line, start);
    if (from < line.length && line.charCodeAt(from) !== HASH) return this.inlineValue(line, from, indent, true);
    // Nothing on the line: a nested block, a sequence at the key's own indentation, or null.
    this.at++;
    const next = this.nextContent();
    if (next > indent) return this.node(next);
    if (next === indent && isSequenceEntry(this.lines[this.at] ?? '', indent)) return this.sequence(indent);
    return null;
  }

  private sequence(indent: number): unknown[] {
    this.enter();
    const items: unknown[] = [];
    for (;;) {
      const next = this.nextContent();
      if (next < indent) break;
      if (next > indent) notSure();
      const line = this.lines[this.at] ?? '';
      if (!isSequenceEntry(line, indent)) break;
      const from = skipSpaces(line, indent + 1);
      if (from < line.length && line.charCodeAt(from) !== HASH) {
        // The entry's content, as if the dash were a space: `- a: 1` is a mapping at the column of `a`.
        this.lines[this.at] = ' '.repeat(from) + line.slice(from);
        items.push(this.node(from, true));
      } else {
        this.at++;
        const inner = this.nextContent();
        items.push(inner > indent ? this.node(inner) : null);
      }
    }
    this.depth--;
    return items;
  }

  /**
   * A value that starts on the current line at `from` (a scalar, a one-line flow collection or a
   * block scalar header). `parentIndent` is the indentation of the collection holding it: any
   * later line indented more than that would continue the value, which the fast path leaves to yaml.
   */
  private inlineValue(line: string, from: number, parentIndent: number, blockScalarAllowed: boolean): unknown {
    const c = line.charCodeAt(from);
    let value: unknown;
    let end: number;
    if (c === DOUBLE_QUOTE) [value, end] = readDoubleQuoted(line, from);
    else if (c === SINGLE_QUOTE) [value, end] = readSingleQuoted(line, from);
    else if (c === OPEN_BRACKET) [value, end] = readFlowSequence(line, from);
    else if (c === OPEN_BRACE) [value, end] = readEmptyFlowMap(line, from);
    else if (c === PIPE || c === GREATER) {
      if (!blockScalarAllowed) notSure();
      return this.blockScalar(line, from, parentIndent);
    }
    else [value, end] = readPlainLine(line, from);
    expectLineEnd(line, end);
    this.at++;
    if (this.nextContent() > parentIndent) notSure();
    return value;
  }

  /** `|` or `>` with an optional chomping indicator; the content is the more-indented lines below. */
  private blockScalar(line: string, from: number, parentIndent: number): string {
    const folded = line.charCodeAt(from) === GREATER;
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    let end = from + 1;
    const indicator = line.charCodeAt(end);
    if (indicator === MINUS) { chomp = 'strip'; end++; }
    else if (indicator === PLUS) { chomp = 'keep'; end++; }
    expectLineEnd(line, end);
    const { lines } = this;
    this.at++;
    const content: string[] = [];
    let contentIndent = -1;
    let trailingEmpty = 0;
    while (this.at < lines.length) {
      const text = lines[this.at] ?? '';
      const indent = indentOf(text);
      if (indent === text.length) {
        // A blank line: part of the scalar if more content follows, else trailing (chomped).
        if (contentIndent >= 0 ? indent > contentIndent : indent > parentIndent + 1) notSure();
        trailingEmpty++;
        this.at++;
        continue;
      }
      if (contentIndent < 0) {
        if (indent <= parentIndent) break;
        contentIndent = indent;
      } else if (indent < contentIndent) {
        break;
      }
      for (let i = 0; i < trailingEmpty; i++) content.push('');
      trailingEmpty = 0;
      const part = text.slice(contentIndent);
      // More-indented lines change folding, and trailing spaces matter to it: leave those to yaml.
      if (folded && (part.charCodeAt(0) === SPACE || part.charCodeAt(part.length - 1) === SPACE)) notSure();
      content.push(part);
      this.at++;
    }
    // Whether the scalar ran to the end of the file (the last of lines is what follows the final
    // line break): taken before nextContent() moves past any comment lines after it.
    const atEnd = this.at >= lines.length;
    // Content must end with a line break for clip and keep to mean what they say; and a scalar
    // with no content at all is an edge case of its own.
    if (content.length === 0 || (atEnd && trailingEmpty === 0)) notSure();
    // Leading blank lines of a folded scalar fold differently.
    if (folded && content[0] === '') notSure();
    if (this.nextContent() > parentIndent) notSure();
    const body = folded ? fold(content) : content.join('\n');
    if (chomp === 'strip') return body;
    if (chomp === 'clip') return `${body}\n`;
    // keep: every line break; the last line of the file has none after it.
    const breaks = atEnd ? trailingEmpty - 1 : trailingEmpty;
    return `${body}\n${'\n'.repeat(breaks)}`;
  }
}

/** Folding of `>` content without more-indented lines: a line break between two lines is a space; n blank lines are n breaks. */
function fold(lines: readonly string[]): string {
  let out = lines[0] ?? '';
  let blanks = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') {
      blanks++;
      continue;
    }
    out += blanks > 0 ? '\n'.repeat(blanks) + line : ` ${line}`;
    blanks = 0;
  }
  return out;
}

const SPACE = 0x20;
const HASH = 0x23;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const COMMA = 0x2c;
const COLON = 0x3a;
const PIPE = 0x7c;
const GREATER = 0x3e;
const MINUS = 0x2d;
const PLUS = 0x2b;
const QUESTION = 0x3f;
const BACKSLASH = 0x5c;

function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === SPACE) i++;
  return i;
}

/** Without trailing U+0020 only: yaml keeps other white space (U+00A0 …) that trimEnd() would drop. */
function trimSpaces(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === SPACE) end--;
  return text.slice(0, end);
}

const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?: |$)/;

function skipSpaces(line: string, from: number): number {
  let i = from;
  while (line.charCodeAt(i) === SPACE) i++;
  return i;
}

/** After a value: only spaces, then the end of the line or a comment. */
function expectLineEnd(line: string, from: number): void {
  const i = skipSpaces(line, from);
  if (i === line.length) return;
  // A comment needs a space before it: `"a"#b` is not one.
  if (line.charCodeAt(i) !== HASH || line.charCodeAt(i - 1) !== SPACE) notSure();
}

function isSequenceEntry(line: string, indent: number): boolean {
  if (line.charCodeAt(indent) !== MINUS) return false;
  const next = line.charCodeAt(indent + 1);
  return Number.isNaN(next) || next === SPACE;
}

/** Whether the line at `indent` is `key: …` or `key:` (a plain or one-line quoted key). */
function isMapEntry(line: string, indent: number): boolean {
  const c = line.charCodeAt(indent);
  if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
    try {
      const [, end] = c === DOUBLE_QUOTE ? readDoubleQuoted(line, indent) : readSingleQuoted(line, indent);
      return line.charCodeAt(skipSpaces(line, end)) === COLON;
    } catch (error) {
      if (error === NOT_SURE) return false;
      throw error;
    }
  }
  return keySeparator(line, indent) >= 0;
}

/** The position of the `:` that ends a plain key (followed by a space or the end of the line), or -1. */
function keySeparator(line: string, from: number): number {
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === COLON) {
      const next = line.charCodeAt(i + 1);
      if (Number.isNaN(next) || next === SPACE) return i;
    } else if (c === HASH && line.charCodeAt(i - 1) === SPACE) {
      return -1;
    }
  }
  return -1;
}

function readKey(line: string, indent: number): { key: string; valueStart: number } {
  // `--- x` and `... x` at the margin are document markers, not keys.
  if (indent === 0 && DOCUMENT_MARKER.test(line)) notSure();
  const c = line.charCodeAt(indent);
  if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
    const [key, end] = c === DOUBLE_QUOTE ? readDoubleQuoted(line, indent) : readSingleQuoted(line, indent);
    const colon = skipSpaces(line, end);
    const after = line.charCodeAt(colon + 1);
    if (line.charCodeAt(colon) !== COLON || !(Number.isNaN(after) || after === SPACE)) notSure();
    return { key, valueStart: colon + 1 };
  }
  const colon = keySeparator(line, indent);
  if (colon < 0) notSure();
  const text = trimSpaces(line.slice(indent, colon));
  if (text === '' || !startsPlain(text) || text.includes(' #')) notSure();
  // Keys that the core schema reads as null, booleans or numbers become strings in yaml's toJS in
  // ways of their own; compose keys never need them.
  if (typeof resolvePlain(text) !== 'string') notSure();
  return { key: text, valueStart: colon + 1 };
}

/** Whether a plain scalar may start with this text (no indicator character first). */
function startsPlain(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c === MINUS || c === QUESTION || c === COLON) {
    const next = text.charCodeAt(1);
    return !Number.isNaN(next) && next !== SPACE;
  }
  // & * ! | > ' " % @ ` , [ ] { } #
  return !'&*!|>\'"%@`,[]{}#'.includes(text[0] ?? '#');
}

/** A one-line plain scalar from `from` to the end of the line or a comment. */
function readPlainLine(line: string, from: number): [unknown, number] {
  let end = line.length;
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === HASH && line.charCodeAt(i - 1) === SPACE) {
      end = i;
      break;
    }
    // `a: b` in a value would be a mapping that yaml refuses on one line.
    if (c === COLON) {
      const next = line.charCodeAt(i + 1);
      if (Number.isNaN(next) || next === SPACE) notSure();
    }
  }
  const text = trimSpaces(line.slice(from, end));
  if (!startsPlain(text)) notSure();
  return [resolvePlain(text), end];
}

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ',
  '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};
const HEX_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** A double-quoted scalar closed on the same line; returns it and the position after the quote. */
function readDoubleQuoted(line: string, from: number): [string, number] {
  let out = '';
  let i = from + 1;
  for (;;) {
    const close = line.indexOf('"', i);
    const escape = line.indexOf('\\', i);
    if (close < 0) notSure();
    if (escape < 0 || escape > close) return [out + line.slice(i, close), close + 1];
    out += line.slice(i, escape);
    const code = line[escape + 1] ?? '';
    const simple = ESCAPES[code];
    if (simple !== undefined) {
      out += simple;
      i = escape + 2;
      continue;
    }
    const length = HEX_LENGTH[code];
    const hex = length === undefined ? '' : line.slice(escape + 2, escape + 2 + length);
    if (length === undefined || hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) notSure();
    const point = parseInt(hex, 16);
    if (point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) notSure();
    out += String.fromCodePoint(point);
    i = escape + 2 + length;
  }
}

/** A single-quoted scalar closed on the same line ('' is a quote). */
function readSingleQuoted(line: string, from: number): [string, number] {
  let out = '';
  let i = from + 1;
  for (;;) {
    const close = line.indexOf("'", i);
    if (close < 0) notSure();
    out += line.slice(i, close);
    if (line.charCodeAt(close + 1) !== SINGLE_QUOTE) return [out, close + 1];
    out += "'";
    i = close + 2;
  }
}

/** `[a, "b", 1]` on one line, of scalars only. */
function readFlowSequence(line: string, from: number): [unknown[], number] {
  const items: unknown[] = [];
  let i = skipSpaces(line, from + 1);
  if (line.charCodeAt(i) === CLOSE_BRACKET) return [items, i + 1];
  for (;;) {
    const c = line.charCodeAt(i);
    let end: number;
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const [value, after] = c === DOUBLE_QUOTE ? readDoubleQuoted(line, i) : readSingleQuoted(line, i);
      items.push(value);
      end = skipSpaces(line, after);
    } else {
      end = i;
      while (end < line.length && !FLOW_PLAIN_STOP.includes(line[end] ?? '')) end++;
      const text = trimSpaces(line.slice(i, end));
      if (text === '' || !startsPlain(text) || text.includes(' #')) notSure();
      items.push(resolvePlain(text));
    }
    const sep = line.charCodeAt(end);
    if (sep === CLOSE_BRACKET) return [items, end + 1];
    if (sep !== COMMA) notSure();
    i = skipSpaces(line, end + 1);
    // A trailing comma, an empty item or a nested collection: yaml's.
    if ('],[{'.includes(line[i] ?? ']')) notSure();
  }
}

/** Plain scalars in a flow list end at these; `:` and `#` inside one are left to yaml. */
const FLOW_PLAIN_STOP = ',[]{}:#';

function readEmptyFlowMap(line: string, from: number): [Record<string, unknown>, number] {
  const close = skipSpaces(line, from + 1);
  if (line.charCodeAt(close) !== CLOSE_BRACE) notSure();
  return [{}, close + 1];
}

/**
 * A plain scalar as the YAML 1.2 core schema reads it, with yaml's own conversions: the tags are
 * tried in yaml's order (null, bool, int in base 8, 10, 16, then .inf/.nan, exponent, float).
 */
function resolvePlain(text: string): unknown {
  if (text === '') return null;
  const c = text.charCodeAt(0);
  // Most values start with a letter other than those of null/true/false, or with `/` or `$`.
  if (!(c <= 0x39 || c === 0x7e || c === 0x6e || c === 0x4e || c === 0x74 || c === 0x54 || c === 0x66 || c === 0x46)) return text;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(text)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(text)) return text[0] === 't' || text[0] === 'T';
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(text)) return parseInt(text, 10);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(text)) {
    return text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(text)) return parseFloat(text);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(text)) return parseFloat(text);
  return text;
}
