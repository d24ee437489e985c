// `gantry images [SERVICE…]`: the images the project's containers (one-offs included) run.
import { UsageError } from '../../errors.js';
import { renderImages, toImagesJson, type ImageRow } from '../../ui/listing.js';
import type { GlobalOptions } from '../options.js';
import { checkServiceNames, listProjectContainers, serviceOf } from '../service-containers.js';
import { connectEngine, resolveTarget } from '../session.js';

export interface ImagesOptions {
  readonly format?: string;
  readonly quiet?: boolean;
}

export async function runImages(global: GlobalOptions, options: ImagesOptions, services: readonly string[]): Promise<void> {
  const format = options.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`unknown format "${format}"`, { hint: 'use --format table or --format json' });
  const target = resolveTarget(global, services);
  const engine = await connectEngine();
  const all = await listProjectContainers(engine, target.name, { all: true, oneoff: true });
  checkServiceNames(target, services, all);
  const containers = all.filter((c) => services.length === 0 || services.includes(serviceOf(c)));
  const images = await Promise.all(containers.map((c) => engine.inspectImage(c.imageId || c.image)));
  const rows: ImageRow[] = containers.flatMap((c, i) => {
    const image = images[i];
    return image === undefined ? [] : [{ container: c.name, reference: c.image, image }];
  });
  if (options.quiet === true) return void process.stdout.write([...new Set(rows.map((r) => r.image.id.replace(/^sha256:/, '')))].map((id) => `${id}\n`).join(''));
  if (format === 'json') return void process.stdout.write(`${JSON.stringify(toImagesJson(rows))}\n`);
  process.stdout.write(renderImages(rows, new Date()));
}

