// The quiet progress view (`--progress quiet`): shows nothing; failures still reach stderr through cli/main.ts.
import type { ProgressView } from './view.js';

export function createQuietView(): ProgressView {
  return {
    start: () => undefined,
    emit: () => undefined,
    finish: () => Promise.resolve(),
  };
}
