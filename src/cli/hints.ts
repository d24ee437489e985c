// Prints hints (likely mistakes in a file that loads) on stderr, after the model's warnings,
// unless --quiet-hints or GANTRY_HINTS=0 turns them off.
import { relative } from 'node:path';
import { findHints, hintsEnabled, type Hint } from '../model/hints.js';
import type { LoadResult } from '../model/load.js';
import { useColor, type GlobalOptions } from './options.js';

export function printHints(global: GlobalOptions, result: LoadResult): void {
  if (!hintsEnabled(process.env, global.quietHints)) return;
  const hints = findHints(result.project, result.sources, result.interpolation ? { lookup: result.interpolation.lookup } : {});
  process.stderr.write(formatHints(hints, { color: useColor(global), cwd: process.cwd() }));
}

/** `HINT compose.yaml:3:5  message` then `  fix: …`, one block per hint. */
export function formatHints(hints: readonly Hint[], options: { color: boolean; cwd: string }): string {
  const tag = options.color ? '\u001b[36mHINT\u001b[39m' : 'HINT';
  return hints.map((h) => {
    const file = h.file === '-' || !h.file.startsWith(options.cwd) ? h.file : relative(options.cwd, h.file) || h.file;
    const where = h.line > 0 ? `${file}:${h.line}:${h.column}` : file;
    return `${tag} ${where}  ${h.message}\n     fix: ${h.hint}\n`;
  }).join('');
}
