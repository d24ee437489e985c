// Lifecycle and inspection calls beyond create/start/stop/remove (restart, kill, pause, top,
// image inspect) on the real engine, with their responses narrowed into Gantry's types here.
import { EngineError } from '../errors.js';
import type { Send } from './docker-engine.js';
import { toList, toRecord, toText } from './docker-mapping.js';
import type { CallOptions, Engine, ImageDetails, ProcessTable } from './engine.js';

type ControlMethods = Pick<Engine, 'restartContainer' | 'killContainer' | 'pauseContainer' | 'unpauseContainer' | 'listProcesses' | 'inspectImage'>;

export function createControlMethods(send: Send): ControlMethods {
  const post = async (operation: string, id: string, action: string, o: CallOptions | undefined, query: Record<string, string | number> = {}): Promise<void> => {
    await send({ operation, resource: id, method: 'POST', path: `/containers/${id}/${action}`, query, signal: o?.signal });
  };
  return {
    restartContainer: (id, o) => post('restart container', id, 'restart', o, o?.timeoutSeconds === undefined ? {} : { t: o.timeoutSeconds }),
    killContainer: (id, o) => post('kill container', id, 'kill', o, o?.signalName === undefined ? {} : { signal: o.signalName }),
    pauseContainer: (id, o) => post('pause container', id, 'pause', o),
    unpauseContainer: (id, o) => post('unpause container', id, 'unpause', o),
    listProcesses: async (id, o) => toProcessTable(await send({ operation: 'list processes of', resource: id, method: 'GET', path: `/containers/${id}/top`, signal: o?.signal })),
    inspectImage: async (ref, o) => {
      try {
        return toImageDetails(await send({ operation: 'inspect image', resource: ref, method: 'GET', path: `/images/${ref}/json`, signal: o?.signal }));
      } catch (error) {
        if (error instanceof EngineError && error.statusCode === 404) return undefined;
        throw error;
      }
    },
  };
}

/** GET /containers/{id}/top. */
export function toProcessTable(value: unknown): ProcessTable {
  const top = toRecord(value);
  return {
    titles: toList(top.Titles).map(toText),
    processes: toList(top.Processes).map((row) => toList(row).map(toText)),
  };
}

/** GET /images/{ref}/json. */
export function toImageDetails(value: unknown): ImageDetails {
  const image = toRecord(value);
  const created = toText(image.Created);
  const platform = [toText(image.Os), toText(image.Architecture), toText(image.Variant)].filter((part) => part !== '').join('/');
  return {
    id: toText(image.Id),
    repoTags: toList(image.RepoTags).map(toText).filter((tag) => tag !== ''),
    size: typeof image.Size === 'number' ? image.Size : 0,
    ...(created === '' ? {} : { created }),
    platform,
    volumes: Object.keys(toRecord(toRecord(image.Config).Volumes)),
  };
}
