// The local registry (scripts/registry.sh) for pull tests: a copy of the test image under a name no
// other test file uses, pushed before the file's tests and removed, locally and from the registry,
// after them — so removing it locally never disturbs another test.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { REGISTRY, TEST_IMAGE, docker, dockerOk } from './project.js';

export interface RegistryCopy {
  /** The repository in the registry, e.g. gantry-test/pull-1a2b3c4d. */
  readonly repository: string;
  /** The image reference to pull, tag 1: 127.0.0.1:5000/<repository>:1. */
  readonly image: string;
}

/** Call at the top of a test file (or a describe): registers the push and the cleanup hooks. */
export function useRegistryCopy(name: string): RegistryCopy {
  const repository = `gantry-test/${name}-${randomBytes(4).toString('hex')}`;
  const image = `${REGISTRY}/${repository}:1`;
  beforeAll(async () => {
    await dockerOk(['tag', TEST_IMAGE, image]);
    await dockerOk(['push', image]);
  });
  afterAll(async () => {
    await docker(['image', 'rm', image]);
    await deleteFromRegistry(repository, '1');
  });
  return { repository, image };
}

/** Best effort: a leftover tag in the test registry harms nothing. */
async function deleteFromRegistry(repository: string, tag: string): Promise<void> {
  const accept = 'application/vnd.docker.distribution.manifest.v2+json';
  try {
    const head = await fetch(`http://${REGISTRY}/v2/${repository}/manifests/${tag}`, { method: 'HEAD', headers: { Accept: accept } });
    const digest = head.headers.get('docker-content-digest');
    if (head.ok && digest) await fetch(`http://${REGISTRY}/v2/${repository}/manifests/${digest}`, { method: 'DELETE' });
  } catch {
    // the registry may be gone already at the end of a run
  }
}
