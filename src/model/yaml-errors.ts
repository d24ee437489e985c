// The yaml library reports where it *noticed* a syntax error (often the end of the file); users
// need where they *made* it: the quote or bracket never closed, the key that is misplaced.
import { Parser, type YAMLError } from 'yaml';

export interface YamlErrorSite {
  /** Offset into the text of the character to point at. */
  readonly offset: number;
  readonly message: string;
  readonly hint?: string;
}

/** Where to point for a yaml error, and the words to say about it. */
export function describeYamlError(text: string, error: YAMLError): YamlErrorSite {
  const [start] = error.pos;
  const first = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
  switch (error.code) {
    case 'DUPLICATE_KEY':
      return { offset: start, message: 'duplicate key: a key may appear only once in a mapping' };
    case 'TAB_AS_INDENT':
      return { offset: start, message: 'tab character used for indentation; YAML allows only spaces' };
    default:
      break;
  }
  // The parser recurses once per nesting level and gives up thousands of levels down.
  if (/Maximum call stack size exceeded/.test(first)) {
    return { offset: skipIndentation(text, start), message: 'the file nests collections too deeply to be read', hint: 'no compose file needs more than a few levels; look for a runaway [ or {' };
  }
  const quote = /Missing closing (["'])quote/.exec(first)?.[1];
  if (quote !== undefined) {
    const opening = findUnclosed(text, start, (token) => isQuoted(token, quote));
    if (opening !== undefined) return { offset: opening, message: `YAML syntax error: the ${quote} opened here is never closed`, hint: `add the closing ${quote} at the end of the value` };
  }
  const bracket = /end with an? ([\]}])/.exec(first)?.[1];
  if (bracket !== undefined) {
    const opening = findUnclosed(text, start, (token) => isUnclosedFlow(token, bracket));
    if (opening !== undefined) return { offset: opening, message: `YAML syntax error: the ${bracket === ']' ? '[' : '{'} opened here is never closed with ${bracket}` };
  }
  return { offset: skipIndentation(text, start), message: `YAML syntax error: ${first}` };
}

/** An error reported at the start of a line is about the first thing written on it. */
function skipIndentation(text: string, offset: number): number {
  let at = offset;
  while (text[at] === ' ') at++;
  return at < text.length && text[at] !== '\n' && text[at] !== '\r' ? at : offset;
}

interface TokenLike {
  readonly type: string;
  readonly offset: number;
  readonly source?: string;
  readonly end?: readonly { readonly type: string }[];
}

function isQuoted(token: TokenLike, quote: string): boolean {
  return token.type === (quote === '"' ? 'double-quoted-scalar' : 'single-quoted-scalar');
}

function isUnclosedFlow(token: TokenLike, bracket: string): boolean {
  if (token.type !== 'flow-collection') return false;
  const closer = bracket === ']' ? 'flow-seq-end' : 'flow-map-end';
  return !(token.end ?? []).some((t) => t.type === closer);
}

/** The offset of the innermost matching token that starts before `before`, or undefined. */
function findUnclosed(text: string, before: number, matches: (token: TokenLike) => boolean): number | undefined {
  let best: number | undefined;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const token = value as Partial<TokenLike>;
    if (typeof token.type === 'string' && typeof token.offset === 'number' && token.offset <= before && matches(token as TokenLike)) {
      if (best === undefined || token.offset > best) best = token.offset;
    }
    for (const child of Object.values(value)) if (typeof child === 'object') visit(child);
  };
  for (const token of new Parser().parse(text)) visit(token);
  return best;
}
