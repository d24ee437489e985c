// PURE: splits the engine's multiplexed attach/exec stream (no TTY) into stdout and stderr.
// Each frame is an 8-byte header [stream, 0, 0, 0, size (uint32 big-endian)] then `size` bytes;
// frames arrive cut at arbitrary chunk boundaries, so partial headers and payloads are kept.

export type FrameStream = 'stdout' | 'stderr';

const HEADER = 8;

/** Feeds chunks in, calls `onFrame` with each payload (or part of one) as soon as it arrives. */
export interface FrameSplitter {
  push(chunk: Uint8Array): void;
  /** Bytes of an unfinished frame still expected (0 when the stream ended on a frame boundary). */
  readonly pending: number;
}

export function createFrameSplitter(onFrame: (stream: FrameStream, payload: Buffer) => void): FrameSplitter {
  let header = Buffer.alloc(0);
  let stream: FrameStream = 'stdout';
  let remaining = 0;
  return {
    push(chunk) {
      let data = Buffer.from(chunk);
      while (data.length > 0) {
        if (remaining === 0) {
          const need = HEADER - header.length;
          header = Buffer.concat([header, data.subarray(0, need)]);
          data = data.subarray(need);
          if (header.length < HEADER) return;
          // 2 is stderr; 0 (stdin echo) and 1 go to stdout, as the docker CLI's stdcopy does with 0.
          stream = header[0] === 2 ? 'stderr' : 'stdout';
          remaining = header.readUInt32BE(4);
          header = Buffer.alloc(0);
          continue;
        }
        const payload = data.subarray(0, remaining);
        data = data.subarray(payload.length);
        remaining -= payload.length;
        onFrame(stream, payload);
      }
    },
    get pending() {
      return remaining + (header.length > 0 ? HEADER - header.length : 0);
    },
  };
}
