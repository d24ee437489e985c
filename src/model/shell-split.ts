// Splits a `command:`/`entrypoint:` string into argv the way a POSIX shell would tokenise it, so the
// string form runs the same program as the list form, with no shell in between.

export type ShellSplitResult = { readonly words: string[] } | { readonly error: string };

/** Characters a backslash escapes inside double quotes (POSIX); before others it stays literal. */
const DOUBLE_QUOTE_ESCAPES = new Set(['\\', '"', '$', '`', '\n']);

/**
 * Word splitting with quotes and backslashes honoured. No variable expansion (interpolation has
 * already run) and no operators: `a && b` is five words, as docker's exec form would pass them.
 */
export function splitShellWords(text: string): ShellSplitResult {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === '\\') {
      if (i + 1 >= text.length) return { error: 'the command ends with an unfinished escape (\\)' };
      const next = text[i + 1] as string;
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
      i += 2;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { error: 'the command has an unterminated single quote' };
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      const read = readDoubleQuoted(text, i + 1);
      if (read === undefined) return { error: 'the command has an unterminated double quote' };
      word += read.value;
      inWord = true;
      i = read.end + 1;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return { words };
}

function readDoubleQuoted(text: string, start: number): { value: string; end: number } | undefined {
  let value = '';
  for (let i = start; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') return { value, end: i };
    if (c === '\\' && i + 1 < text.length && DOUBLE_QUOTE_ESCAPES.has(text[i + 1] as string)) {
      if (text[i + 1] !== '\n') value += text[i + 1];
      i++;
    } else {
      value += c;
    }
  }
  return undefined;
}
