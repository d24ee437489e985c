// Secrets and configs that are not files on the host (`environment:`, `content:`) are copied into
// a container after create and before its first start, as compose does: one tar archive through
// PUT /containers/{id}/archive, unpacked at the root (the engine makes missing parent directories).
import { Readable } from 'node:stream';
import type { Project, Service } from '../model/types.js';
import { injectedFiles, type InjectedFile } from '../plan/injected-files.js';
import type { Engine } from './engine.js';
import { END_OF_ARCHIVE, encodeHeader, padding } from './tar-writer.js';

/** A tar archive of the files, named by their absolute targets relative to the root. */
export function createFilesArchive(files: readonly InjectedFile[], mtime: number): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    const content = Buffer.from(file.content, 'utf8');
    parts.push(encodeHeader({
      name: file.target.replace(/^\/+/, ''), type: 'file', mode: file.mode, size: content.length, mtime, uid: file.uid, gid: file.gid,
    }), content, padding(content.length));
  }
  return Buffer.concat([...parts, END_OF_ARCHIVE]);
}

/** Copies the service's environment and content sources into a created container; nothing to do without them. */
export async function injectFiles(engine: Engine, project: Project, service: Service, containerId: string, signal?: AbortSignal): Promise<void> {
  const files = injectedFiles(project, service);
  if (files.length === 0) return;
  const archive = createFilesArchive(files, Math.floor(Date.now() / 1000));
  await engine.copyToContainer(containerId, '/', Readable.from([archive]), signal === undefined ? {} : { signal });
}
