// `config --explain`: builds the explanation (model/explain.ts) and picks its rendering.
import { homedir } from 'node:os';
import { explainProject } from '../model/explain.js';
import type { LoadResult } from '../model/load.js';
import { renderExplainText } from '../ui/explain-view.js';
import type { GlobalOptions } from './options.js';

export function renderExplain(global: GlobalOptions, loaded: LoadResult, format: 'yaml' | 'json', services: readonly string[]): string {
  const explanation = explainProject(loaded, { homeDir: homedir(), services, envFilesGiven: (global.envFile?.length ?? 0) > 0 });
  return format === 'json' ? `${JSON.stringify(explanation, null, 2)}\n` : renderExplainText(explanation, { cwd: process.cwd() });
}
