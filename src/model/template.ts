// Compose variable substitution for one string (${VAR:-default} and friends), with typed errors.
// The text is parsed first and evaluated second, so a malformed template is reported even when
// the branch holding it would not be used, and unused defaults never trigger lookups or errors.

/** Thrown for a malformed template or a `${VAR:?message}` whose variable is missing. */
export class TemplateError extends Error {
  override name = 'TemplateError';
  readonly hint: string | undefined;
  /** For a missing required variable, its name. */
  readonly variable: string | undefined;
  constructor(message: string, details: { hint?: string; variable?: string } = {}) {
    super(message);
    this.hint = details.hint;
    this.variable = details.variable;
  }
}

export type Lookup = (name: string) => string | undefined;

type Operator = ':-' | '-' | ':?' | '?' | ':+' | '+';

type Part =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'variable'; readonly name: string; readonly operator?: Operator; readonly argument: readonly Part[] };

/** Templates nest through defaults; beyond this depth the text is refused rather than recursed. */
const MAX_NESTING = 64;
const OPERATORS: readonly Operator[] = [':-', ':?', ':+', '-', '?', '+'];
/** Error messages quote the template; a huge value is cut so the message stays readable. */
const MAX_SHOWN = 120;
const LITERAL_DOLLAR_HINT = 'use $$ for a literal dollar sign';

/**
 * Substitutes variables in `text`. A variable without default that is unset becomes '' and is
 * listed in `unset` (once, in order of first use). Throws TemplateError.
 */
export function substituteTemplate(text: string, lookup: Lookup): { value: string; unset: string[] } {
  if (!text.includes('$')) return { value: text, unset: [] };
  const parts = parseTemplate(text, text, 0);
  const unset = new Set<string>();
  const value = evaluate(parts, lookup, unset);
  return { value, unset: [...unset] };
}

function parseTemplate(text: string, whole: string, depth: number): Part[] {
  if (depth > MAX_NESTING) throw invalid(whole, `templates are nested more than ${MAX_NESTING} levels deep`);
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      literal += text.slice(i);
      break;
    }
    literal += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      literal += '$';
      i = dollar + 2;
    } else if (next === '{') {
      if (literal) parts.push({ kind: 'text', text: literal });
      literal = '';
      const braced = parseBraced(text, dollar, whole, depth);
      parts.push(braced.part);
      i = braced.end;
    } else {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(dollar + 1))?.[0];
      // Compose keeps a '$' that starts no name ("a $ string", "^REGEX$") as it is.
      if (name === undefined) {
        literal += '$';
        i = dollar + 1;
        continue;
      }
      if (literal) parts.push({ kind: 'text', text: literal });
      literal = '';
      parts.push({ kind: 'variable', name, argument: [] });
      i = dollar + 1 + name.length;
    }
  }
  if (literal) parts.push({ kind: 'text', text: literal });
  return parts;
}

/** Parses `${...}` starting at `start` (the '$'); returns the part and the index after '}'. */
function parseBraced(text: string, start: number, whole: string, depth: number): { part: Part; end: number } {
  const close = findClosingBrace(text, start + 2);
  if (close < 0) throw invalid(whole, `"${text.slice(start, start + 12)}${text.length - start > 12 ? '…' : ''}" is not closed by "}"`);
  const body = text.slice(start + 2, close);
  const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(body)?.[0];
  if (name === undefined) throw invalid(whole, `"\${${body}}" does not start with a variable name`);
  const rest = body.slice(name.length);
  if (rest === '') return { part: { kind: 'variable', name, argument: [] }, end: close + 1 };
  const operator = OPERATORS.find((op) => rest.startsWith(op));
  if (operator === undefined) {
    throw invalid(whole, `unexpected "${rest[0] ?? ''}" after the variable name in "\${${body}}"; expected "}" or one of :- - :? ? :+ +`);
  }
  const argument = parseTemplate(rest.slice(operator.length), whole, depth + 1);
  return { part: { kind: 'variable', name, operator, argument }, end: close + 1 };
}

/** The index of the '}' closing a `${` whose body starts at `from`; nested `${` count, `$$` does not. */
function findClosingBrace(text: string, from: number): number {
  let open = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '$' && (text[i + 1] === '$' || text[i + 1] === '{')) {
      if (text[i + 1] === '{') open++;
      i++;
    } else if (c === '}' && --open === 0) {
      return i;
    }
  }
  return -1;
}

function evaluate(parts: readonly Part[], lookup: Lookup, unset: Set<string>): string {
  let out = '';
  for (const part of parts) out += part.kind === 'text' ? part.text : resolveVariable(part, lookup, unset);
  return out;
}

function resolveVariable(part: Extract<Part, { kind: 'variable' }>, lookup: Lookup, unset: Set<string>): string {
  const value = lookup(part.name);
  const isSet = value !== undefined;
  const isFilled = isSet && value !== '';
  const argument = (): string => evaluate(part.argument, lookup, unset);
  switch (part.operator) {
    case undefined:
      if (!isSet) unset.add(part.name);
      return value ?? '';
    case ':-': return isFilled ? value : argument();
    case '-': return isSet ? value : argument();
    case ':+': return isFilled ? argument() : (value ?? '');
    case '+': return isSet ? argument() : '';
    case ':?':
      if (!isFilled) throw missing(part.name, argument());
      return value;
    case '?':
      if (!isSet) throw missing(part.name, argument());
      return value;
  }
}

function missing(name: string, message: string): TemplateError {
  return new TemplateError(`required variable ${name} is missing a value${message ? `: ${message}` : ''}`, {
    variable: name,
    hint: `set ${name} in the shell environment or in the project's .env file`,
  });
}

function invalid(whole: string, detail: string): TemplateError {
  const shown = whole.length > MAX_SHOWN ? `${whole.slice(0, MAX_SHOWN)}…` : whole;
  return new TemplateError(`invalid interpolation format for "${shown}": ${detail}`, { hint: LITERAL_DOLLAR_HINT });
}
