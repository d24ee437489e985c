// Prints the model's located warnings (unset variables, hints) to stderr.
import { relative } from 'node:path';
import type { ConfigIssue } from '../errors.js';

export function printWarnings(warnings: readonly ConfigIssue[], options: { color: boolean; cwd: string }): void {
  for (const w of warnings) {
    const file = w.file === '-' || !w.file.startsWith(options.cwd) ? w.file : relative(options.cwd, w.file) || w.file;
    const where = w.line > 0 ? `${file}:${w.line}:${w.column}` : file;
    const tag = options.color ? '\u001b[33mWARN\u001b[39m' : 'WARN';
    process.stderr.write(`${tag} ${where}  ${w.message}${w.hint ? ` (${w.hint})` : ''}\n`);
  }
}
