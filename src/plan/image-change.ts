// Whether a container still runs the image its service names. A tag moves (pull, build, `docker
// tag`), so compose compares image ids, never names: a container whose image id differs from the
// one the reference resolves to now is recreated.

/** Image reference → the id ('sha256:…') it resolves to on the engine; absent when not present. */
export type ImageIds = ReadonlyMap<string, string>;

/** The id `image` names, with or without the implicit `:latest`; undefined when not known. */
export function resolveImageId(image: string, ids: ImageIds | undefined): string | undefined {
  if (ids === undefined) return undefined;
  const direct = ids.get(image);
  if (direct !== undefined) return direct;
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  return lastPart.includes(':') || image.includes('@') ? undefined : ids.get(`${image}:latest`);
}

/** 'image changed: sha256:0123456789ab… → sha256:…', or undefined when the ids match or one is unknown. */
export function imageChangeCause(running: string | undefined, wanted: string | undefined): string | undefined {
  if (running === undefined || running === '' || wanted === undefined || running === wanted) return undefined;
  return `image changed: ${shortImageId(running)} → ${shortImageId(wanted)}`;
}

/** 'sha256:' and 12 hex digits, as `docker images` shortens ids, with an ellipsis when cut. */
function shortImageId(id: string): string {
  const [algorithm, hex] = id.includes(':') ? [id.slice(0, id.indexOf(':') + 1), id.slice(id.indexOf(':') + 1)] : ['', id];
  return hex.length > 12 ? `${algorithm}${hex.slice(0, 12)}…` : id;
}
