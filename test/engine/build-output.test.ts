// The classic builder's message stream (as Engine 20.10 sends it) → lines tagged with their step,
// the image id, and a failure that names the step and keeps its output.
import { describe, expect, it } from 'vitest';
import { BuildError } from '../../src/errors.js';
import { createBuildOutputParser } from '../../src/engine/build-output.js';
import { toBuildQuery } from '../../src/engine/docker-build.js';
import type { BuildProgress } from '../../src/engine/engine.js';

function parse(messages: readonly unknown[]): { progress: BuildProgress[]; id: string | undefined; error?: unknown } {
  const progress: BuildProgress[] = [];
  const parser = createBuildOutputParser('demo-app', (p) => progress.push(p));
  try {
    for (const message of messages) parser.push(message);
  } catch (error) {
    return { progress, id: undefined, error };
  }
  return { progress, id: parser.end() };
}

describe('createBuildOutputParser', () => {
  it('splits output into lines (a step header arrives without its newline) and keeps the last image id', () => {
    const { progress, id } = parse([
      { stream: 'Step 1/2 : FROM busybox AS a' }, { stream: '\n' }, { stream: ' ---> 8d4430f97981\n' },
      { aux: { ID: 'sha256:aaa' } },
      { stream: 'Step 2/2 : RUN echo one; echo two\n' }, { stream: 'one\ntw' }, { stream: 'o\r\n' },
      { aux: { ID: 'sha256:bbb' } }, { stream: 'Successfully built bbb' },
    ]);
    expect(id).toBe('sha256:bbb');
    expect(progress).toEqual([
      { step: 'Step 1/2 : FROM busybox AS a', line: 'Step 1/2 : FROM busybox AS a' },
      { step: 'Step 1/2 : FROM busybox AS a', line: ' ---> 8d4430f97981' },
      { step: 'Step 2/2 : RUN echo one; echo two', line: 'Step 2/2 : RUN echo one; echo two' },
      { step: 'Step 2/2 : RUN echo one; echo two', line: 'one' },
      { step: 'Step 2/2 : RUN echo one; echo two', line: 'two' },
      { step: 'Step 2/2 : RUN echo one; echo two', line: 'Successfully built bbb' },
    ]);
  });

  it('keeps one line per change of a FROM image pull\'s state', () => {
    const { progress } = parse([
      { status: 'Pulling from library/busybox', id: 'latest' },
      { status: 'Downloading', id: 'abc', progressDetail: { current: 1, total: 9 } },
      { status: 'Downloading', id: 'abc', progressDetail: { current: 5, total: 9 } },
      { status: 'Pull complete', id: 'abc' },
    ]);
    expect(progress.map((p) => p.line)).toEqual(['latest: Pulling from library/busybox', 'abc: Downloading', 'abc: Pull complete']);
  });

  it('turns an error message into a BuildError with the failing step and its output, without builder chatter', () => {
    const { error } = parse([
      { stream: 'Step 3/4 : RUN make\n' }, { stream: ' ---> Running in 16aad4ad169d\n' }, { stream: 'cc -o app app.c\n\u001b[91mapp.c:1: error\n' }, { stream: '\u001b[0m' },
      { errorDetail: { code: 2, message: "The command '/bin/sh -c make' returned a non-zero code: 2" }, error: "The command '/bin/sh -c make' returned a non-zero code: 2" },
    ]);
    expect(error).toBeInstanceOf(BuildError);
    const e = error as BuildError;
    expect(e.message).toBe("could not build image demo-app at Step 3/4 : RUN make: The command '/bin/sh -c make' returned a non-zero code: 2");
    expect(e.step).toBe('Step 3/4 : RUN make');
    expect(e.reason).toBe("The command '/bin/sh -c make' returned a non-zero code: 2");
    expect(e.output).toEqual(['cc -o app app.c', 'app.c:1: error']);
    expect(e.statusCode).toBeUndefined();
  });
});

describe('toBuildQuery', () => {
  it('writes the classic builder\'s parameters, repeating list keys and encoding maps as JSON', () => {
    expect(toBuildQuery({
      tags: ['a', 'b:1'], dockerfile: 'docker/Dockerfile', buildArgs: { X: '1' }, labels: { l: 'v' }, target: 't', networkMode: 'host',
      extraHosts: ['h:1.2.3.4'], shmSize: 64, cacheFrom: ['a:cache'], noCache: true, pull: true, platform: 'linux/amd64',
    })).toEqual({
      t: ['a', 'b:1'], dockerfile: 'docker/Dockerfile', version: '1', rm: true, forcerm: true, buildargs: '{"X":"1"}', labels: '{"l":"v"}',
      target: 't', networkmode: 'host', extrahosts: ['h:1.2.3.4'], shmsize: 64, cachefrom: '["a:cache"]', nocache: true, pull: true, platform: 'linux/amd64',
    });
  });
});
