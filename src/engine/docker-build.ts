// Image builds and pushes over the Engine API: POST /build with the context streamed as the body
// (the classic builder, version=1, which every engine since 1.24 serves), POST /images/{name}/push.
import { EngineError, GantryError } from '../errors.js';
import { createBuildOutputParser } from './build-output.js';
import type { Request, Stream } from './docker-engine.js';
import { toPullLine } from './docker-mapping.js';
import type { BuildOptions, Engine } from './engine.js';

export function createBuildMethods(stream: Stream): Pick<Engine, 'buildImage' | 'pushImage'> {
  return {
    buildImage: async (context, options, onProgress, o) => {
      const resource = options.tags[0] ?? 'image';
      const parser = createBuildOutputParser(resource, onProgress);
      // A context that cannot be read aborts the upload; that failure, not the broken pipe, is the news.
      let contextFailure: unknown;
      context.on('error', (error: unknown) => (contextFailure ??= error));
      const request: Request = {
        operation: 'build image', resource, method: 'POST', path: '/build', query: toBuildQuery(options), upload: context, signal: o?.signal,
      };
      try {
        await stream(request, (message) => parser.push(message));
      } catch (error) {
        if (contextFailure instanceof GantryError) throw contextFailure;
        throw error;
      }
      const id = parser.end();
      if (id === undefined) throw new EngineError(`could not build image ${resource}: the engine did not report an image id`, { operation: 'build image', resource });
      return id;
    },
    pushImage: async (ref, onProgress, o) => {
      const { name, tag } = splitTag(ref);
      // The engine wants X-Registry-Auth even for a registry that needs no login.
      const request: Request = { operation: 'push image', resource: ref, method: 'POST', path: `/images/${name}/push`, query: { tag }, auth: {}, signal: o?.signal };
      await stream(request, (value) => {
        const line = toPullLine(value);
        // Like pulls, pushes fail inside a 200 response.
        if ('error' in line) throw new EngineError(`could not push image ${ref}: ${line.error}`, { operation: 'push image', resource: ref });
        onProgress(line.progress);
      });
    },
  };
}

/** POST /build's query, as the Docker CLI writes it for the classic builder. */
export function toBuildQuery(options: BuildOptions): Record<string, string | boolean | number | readonly string[]> {
  return {
    t: options.tags,
    dockerfile: options.dockerfile,
    // version=1: the classic builder, whatever the engine's default; rm/forcerm: no containers left behind.
    version: '1',
    rm: true,
    forcerm: true,
    buildargs: JSON.stringify(options.buildArgs),
    labels: JSON.stringify(options.labels),
    ...(options.target === undefined ? {} : { target: options.target }),
    ...(options.networkMode === undefined ? {} : { networkmode: options.networkMode }),
    ...(options.extraHosts.length === 0 ? {} : { extrahosts: options.extraHosts }),
    ...(options.shmSize === undefined ? {} : { shmsize: options.shmSize }),
    ...(options.cacheFrom.length === 0 ? {} : { cachefrom: JSON.stringify(options.cacheFrom) }),
    ...(options.noCache ? { nocache: true } : {}),
    ...(options.pull ? { pull: true } : {}),
    ...(options.platform === undefined ? {} : { platform: options.platform }),
  };
}

/** '127.0.0.1:5000/a/b:1' → name '127.0.0.1:5000/a/b', tag '1'; no tag means 'latest'. */
function splitTag(ref: string): { name: string; tag: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { name: ref.slice(0, at), tag: '' };
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? { name: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { name: ref, tag: 'latest' };
}
