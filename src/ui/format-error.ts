// Turns anything thrown into the text a user reads on stderr: compose problems with their file,
// line, column and a source snippet; expected failures with a hint; bugs marked as Gantry's own.
import { isAbsolute, relative } from 'node:path';
import { ConfigError, GantryError, type ConfigIssue } from '../errors.js';
import { formatPath } from '../model/field-path.js';

export interface FormatErrorOptions {
  /** ANSI colours: red for errors, dim snippets, cyan hints. */
  readonly color: boolean;
  /** Show stack traces and causes (`--debug`). */
  readonly debug: boolean;
  /** Files inside this directory are shown relative to it. */
  readonly cwd: string;
}

interface Palette {
  readonly red: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly cyan: (text: string) => string;
}

/** Snippet lines longer than this are cut around the column, so the caret stays on screen. */
const SNIPPET_WIDTH = 100;

/** The whole message, without a trailing newline. */
export function formatError(error: unknown, options: FormatErrorOptions): string {
  const paint = createPalette(options.color);
  if (error instanceof ConfigError && error.issues.length > 0) {
    return [...formatIssues(error.issues, options, paint), ...hintLines(error.hint, paint), ...debugLines(error, options)].join('\n');
  }
  if (error instanceof GantryError) {
    return [`${paint.red('error:')} ${clean(error.message)}`, ...hintLines(error.hint, paint), ...debugLines(error, options)].join('\n');
  }
  const message = error instanceof Error ? error.message : describeThrown(error);
  const hint = options.debug ? undefined : 'this is a bug in Gantry; run again with --debug to see where it happened';
  return [`${paint.red('internal error:')} ${clean(message)}`, ...hintLines(hint, paint), ...debugLines(error, options)].join('\n');
}

/** Every issue as a block; several are introduced by a count and separated by blank lines. */
export function formatIssues(issues: readonly ConfigIssue[], options: Pick<FormatErrorOptions, 'color' | 'cwd'>, paint = createPalette(options.color)): string[] {
  const blocks = issues.map((issue) => formatIssue(issue, options, paint));
  if (blocks.length === 1) return blocks[0] ?? [];
  const files = [...new Set(issues.map((issue) => displayFile(issue.file, options.cwd)))];
  const lines = [paint.red(`${issues.length} problems in ${files.join(', ')}:`)];
  for (const block of blocks) lines.push('', ...block);
  return lines;
}

/** `compose.yaml:12:9  services.web.ports[0]: message`, the source line with a caret, the hint. */
export function formatIssue(issue: ConfigIssue, options: Pick<FormatErrorOptions, 'color' | 'cwd'>, paint = createPalette(options.color)): string[] {
  const file = displayFile(issue.file, options.cwd);
  const where = issue.line > 0 ? `${file}:${issue.line}:${issue.column}` : file;
  const path = issue.path.length > 0 ? `${formatPath(issue.path)}: ` : '';
  const lines = [`${paint.bold(paint.red(where))}  ${clean(path)}${clean(issue.message)}`];
  if (issue.line > 0 && issue.snippet !== undefined && issue.snippet.trim() !== '') lines.push(...snippetLines(issue, paint));
  return [...lines, ...hintLines(issue.hint, paint)];
}

function snippetLines(issue: ConfigIssue, paint: Palette): string[] {
  const text = (issue.snippet ?? '').replace(/\t/g, '→');
  const caretAt = Math.max(0, issue.column - 1);
  let start = 0;
  if (text.length > SNIPPET_WIDTH) start = Math.max(0, Math.min(caretAt - SNIPPET_WIDTH / 2, text.length - SNIPPET_WIDTH));
  const shown = `${start > 0 ? '…' : ''}${text.slice(start, start + SNIPPET_WIDTH)}${start + SNIPPET_WIDTH < text.length ? '…' : ''}`;
  const caret = ' '.repeat(caretAt - start + (start > 0 ? 1 : 0));
  const number = String(issue.line);
  const gutter = ' '.repeat(number.length);
  return [paint.dim(`  ${number} | ${clean(shown)}`), `  ${gutter} ${paint.dim('|')} ${caret}${paint.red('^')}`];
}

function hintLines(hint: string | undefined, paint: Palette): string[] {
  return hint ? [`  ${paint.cyan(`hint: ${clean(hint)}`)}`] : [];
}

/** Under --debug, the stack frames and the chain of causes; nothing otherwise. */
function debugLines(error: unknown, options: FormatErrorOptions): string[] {
  if (!options.debug || !(error instanceof Error)) return [];
  const lines = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  if (error.cause !== undefined) {
    const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : describeThrown(error.cause);
    lines.push(`caused by: ${clean(cause)}`, ...debugLines(error.cause, options));
  }
  return lines;
}

/** Relative to the working directory when inside it; '-' (standard input) as is. */
function displayFile(file: string, cwd: string): string {
  if (file === '-' || file === '') return file;
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** A file can hold any bytes; escape sequences from it must not drive the user's terminal. */
function clean(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');
}

function describeThrown(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function createPalette(color: boolean): Palette {
  const sgr = (open: number, close: number) => (text: string): string => (color ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return { red: sgr(31, 39), bold: sgr(1, 22), dim: sgr(2, 22), cyan: sgr(36, 39) };
}
