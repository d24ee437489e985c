// Narrows GET /images/{ref}/json and /images/{ref}/history into an ImageHistory: what the
// bind-mount hint needs to know about which directories the image's build filled.
import { toList, toRecord, toText } from './docker-mapping.js';
import type { ImageHistory } from './engine.js';

export function toImageHistory(inspect: unknown, history: unknown): ImageHistory {
  const config = toRecord(toRecord(inspect).Config);
  return {
    // The engine lists the newest layer first; a build reads oldest first.
    steps: toList(history).map((layer) => toText(toRecord(layer).CreatedBy)).reverse(),
    workingDir: toText(config.WorkingDir),
    volumes: Object.keys(toRecord(config.Volumes)).sort(),
  };
}
