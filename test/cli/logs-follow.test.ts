// `logs -f` against the in-memory engine: a followed container's lines, and compose's
// `<name> exited with code N` status line on stdout when it stops, as attached `up` prints it.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogsFollower, type FollowLogsContext } from '../../src/cli/commands/logs.js';
import { executePlan } from '../../src/engine/execute.js';
import { toFollowed } from '../../src/engine/follow.js';
import { observe } from '../../src/engine/observe.js';
import { LABEL } from '../../src/plan/labels.js';
import { planUp } from '../../src/plan/plan.js';
import { createLogFormatter, createLogPrinter, displayName } from '../../src/ui/log-view.js';
import { createFakeEngine } from '../support/fake-engine.js';
import { buildProject } from '../support/project-builder.js';

/** A stream that keeps what is written to it. */
function capture(): Writable & { text: () => string } {
  let text = '';
  const stream = new Writable({ write(chunk: Buffer, _encoding, done) { text += chunk.toString(); done(); } });
  return Object.assign(stream, { text: () => text });
}

/** Resolves once `condition` holds, checking after each turn of the event loop (no timers). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('condition never held');
}

describe('logs -f', () => {
  it('prints "<name> exited with code N" on stdout when a followed container stops, after its last line', async () => {
    const engine = createFakeEngine({ images: ['busybox'] });
    const project = buildProject({ services: { web: {}, job: {} } });
    await executePlan(planUp(project, await observe(engine, project.name), { imagesPresent: new Set(['busybox']) }), { engine, project });
    const stdout = capture();
    const stderr = capture();
    const formatter = createLogFormatter({ color: false });
    const printer = createLogPrinter({ stdout, stderr });
    const containers = await engine.listContainers({ [LABEL.project]: 'demo' }, { all: true });
    const context: FollowLogsContext = {
      engine, project: 'demo', containers, accept: () => true, formatter, printer, logOptions: { timestamps: false },
      print: (c, stream, line) => printer.write(stream, formatter.formatLine(displayName('demo', c), c.service, line)),
    };
    for (const c of containers) formatter.register(displayName('demo', toFollowed(c)), toFollowed(c).service);
    const controller = new AbortController();
    const follower = createLogsFollower(context, { timestamps: false }, controller.signal);
    for (const c of containers) follower.follow(toFollowed(c));

    engine.printLog('demo-job-1', 'stdout', 'working');
    await until(() => stdout.text().includes('working'));
    engine.exitContainer('demo-job-1', 3);
    await until(() => follower.running === 1);
    expect(stdout.text()).toBe('job-1  | working\njob-1 exited with code 3\n');
    expect(stderr.text()).toBe('');

    engine.exitContainer('demo-web-1', 0);
    await follower.whenIdle();
    expect(stdout.text()).toBe('job-1  | working\njob-1 exited with code 3\nweb-1 exited with code 0\n');
    controller.abort();
  });
});
