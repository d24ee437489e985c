// `gantry push`: the images of services with `build:` (and their `build.tags`) to their
// registries, all at once, with per-layer progress.
import { InterruptedError } from '../../errors.js';
import type { Service } from '../../model/types.js';
import { createQuietView } from '../../ui/quiet-view.js';
import { imageRows, transferImages, type TransferFailure } from '../image-transfer.js';
import type { GlobalOptions } from '../options.js';
import { connectEngine, loadWithWarnings, openView, withInterrupt } from '../session.js';
import { hasDefaultImageName, throwFailures } from './pull.js';
import { checkServices } from './up.js';

export interface PushCommandOptions {
  readonly ignorePushFailures?: boolean;
  readonly quiet?: boolean;
}

export async function runPush(global: GlobalOptions, options: PushCommandOptions, services: readonly string[]): Promise<void> {
  const { project } = loadWithWarnings(global, services);
  checkServices(project, services);
  const selected = (services.length > 0 ? services : Object.keys(project.services)).map((name) => project.services[name] as Service);
  // As compose: only images this project builds, and only under a name the file gives them.
  const refs = [...new Set(selected.filter((s) => s.build !== undefined && !hasDefaultImageName(project, s)).flatMap((s) => [s.image, ...(s.build?.tags ?? [])]))];
  if (refs.length === 0) {
    if (options.quiet !== true) process.stderr.write('No image to push: give services with a build section an image: name (e.g. 127.0.0.1:5000/team/app:1)\n');
    return;
  }
  await withInterrupt(async (signal) => {
    const engine = await connectEngine(signal);
    const view = options.quiet === true ? createQuietView() : await openView(global);
    view.start(imageRows(refs));
    let failures: TransferFailure[];
    try {
      failures = await transferImages({
        kind: 'push', refs, sink: view,
        transfer: (ref, onProgress) => engine.pushImage(ref, onProgress, { signal }),
        tolerate: () => options.ignorePushFailures === true,
      });
    } finally {
      await view.finish();
    }
    if (signal.aborted) throw new InterruptedError();
    throwFailures(failures, 'push', '--ignore-push-failures');
  });
}
