// Reads the classic builder's JSON message stream (POST /build): output split into lines, each
// tagged with its step ('Step 2/5 : RUN make'), the image id, and a failure as a BuildError that
// carries the failing step and its last lines.
import { BuildError } from '../errors.js';
import type { BuildProgress } from './engine.js';
import { toRecord } from './docker-mapping.js';

/** How many of a step's last output lines a BuildError keeps. */
export const KEPT_LINES = 12;
const STEP = /^Step \d+\/\d+ : /;
/** The builder colours a step's stderr red; the views decide colours themselves. */
const SGR = /\u001b\[[0-9;]*m/g;
/** The builder's own bookkeeping lines: shown as progress, not kept as a step's output. */
const CHATTER = /^( ---> |Removing intermediate container )/;

export interface BuildOutputParser {
  /** One decoded JSON message of the response; throws a BuildError on an error message. */
  push(message: unknown): void;
  /** Flushes a last unterminated line; returns the id of the built image (the last one reported). */
  end(): string | undefined;
}

export function createBuildOutputParser(resource: string, onProgress: (p: BuildProgress) => void): BuildOutputParser {
  let pending = '';
  let step: string | undefined;
  let lines: string[] = [];
  let imageId: string | undefined;
  let lastStatus = '';
  const emit = (line: string): void => {
    if (STEP.test(line)) {
      step = line;
      lines = [];
    } else if (!CHATTER.test(line)) {
      lines.push(line);
      if (lines.length > KEPT_LINES) lines.shift();
    }
    onProgress(step === undefined ? { line } : { step, line });
  };
  const flush = (): void => {
    const line = pending.replace(SGR, '').replace(/\r$/, '');
    pending = '';
    // A colour reset with nothing after it is no line of output.
    if (line !== '') emit(line);
  };
  return {
    push(message) {
      const m = toRecord(message);
      const error = toOptionalText(toRecord(m.errorDetail).message) ?? toOptionalText(m.error);
      if (error !== undefined) {
        flush();
        const code = toRecord(m.errorDetail).code;
        const at = step === undefined ? '' : ` at ${step}`;
        throw new BuildError(`could not build image ${resource}${at}: ${error}`, {
          resource, reason: error, output: [...lines], ...(step === undefined ? {} : { step }), ...(typeof code === 'number' && code >= 400 ? { statusCode: code } : {}),
        });
      }
      const id = toOptionalText(toRecord(m.aux).ID);
      if (id !== undefined) imageId = id;
      const text = toOptionalText(m.stream);
      if (text !== undefined) {
        const parts = (pending + text).split('\n');
        pending = parts.pop() ?? '';
        for (const part of parts) emit(part.replace(SGR, '').replace(/\r$/, ''));
      }
      const status = toOptionalText(m.status);
      if (status !== undefined) {
        // Pulls of FROM images report progress many times a second: keep one line per change of state.
        const layer = toOptionalText(m.id);
        const line = layer === undefined ? status : `${layer}: ${status}`;
        if (line !== lastStatus) emit(line);
        lastStatus = line;
      }
    },
    end() {
      flush();
      return imageId;
    },
  };
}

function toOptionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
