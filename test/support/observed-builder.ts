// Builds an ObservedState as the engine would report it for a project, so plan tests can say
// "db runs with the current config" in one line.
import type { ContainerState, ContainerSummary, NetworkSummary, VolumeSummary } from '../../src/engine/engine.js';
import type { Project, Service } from '../../src/model/types.js';
import { configHash } from '../../src/plan/hash.js';
import { LABEL, containerName } from '../../src/plan/labels.js';
import { RECORDED_CONFIG_LABEL, recordConfig } from '../../src/plan/recorded-config.js';
import { createObservedState, type ObservedState } from '../../src/plan/observed.js';

export interface ObservedContainerInput {
  readonly service: string;
  readonly number?: number;
  /** @default 'running' */
  readonly state?: ContainerState;
  /** @default the service's current hash (or 'stale' for a service the project lacks) */
  readonly hash?: string;
  readonly dependsOn?: string;
  readonly image?: string;
  /** The id of the image the container runs. @default 'sha256:0' */
  readonly imageId?: string;
  readonly oneoff?: boolean;
  /**
   * The definition the container was created from, as Gantry records it (hash and
   * dev.gantry.config label). @default the project's current definition of the service
   */
  readonly createdFrom?: Service;
  /** Volume mounts as the engine lists them: target → volume name. @default none */
  readonly volumes?: Readonly<Record<string, string>>;
}

export interface ObservedInputs {
  readonly containers?: readonly ObservedContainerInput[];
  /** Network keys that exist, labelled for the project. @default none */
  readonly networks?: readonly string[];
  readonly volumes?: readonly string[];
}

export function buildObserved(project: Project, input: ObservedInputs = {}): ObservedState {
  const containers = (input.containers ?? []).map((c, i) => toSummary(project, c, i));
  const networks: NetworkSummary[] = (input.networks ?? []).map((key, i) => ({
    id: `net${i}`, name: project.networks[key]?.name ?? `${project.name}_${key}`, driver: 'bridge',
    labels: { [LABEL.project]: project.name, [LABEL.network]: key }, created: `2024-01-01T00:00:0${i}Z`,
  }));
  const volumes: VolumeSummary[] = (input.volumes ?? []).map((key) => ({
    name: project.volumes[key]?.name ?? `${project.name}_${key}`, driver: 'local', labels: { [LABEL.project]: project.name, [LABEL.volume]: key },
  }));
  return createObservedState({ containers, networks, volumes });
}

function toSummary(project: Project, c: ObservedContainerInput, index: number): ContainerSummary {
  const number = c.number ?? 1;
  const service = project.services[c.service];
  const state = c.state ?? 'running';
  const created = c.createdFrom ?? service;
  return {
    id: `id-${c.service}-${number}-${index}`,
    name: service?.containerName ?? containerName(project.name, c.service, number),
    image: c.image ?? service?.image ?? 'busybox',
    imageId: c.imageId ?? 'sha256:0',
    command: '',
    created: 1_700_000_000 + index,
    state,
    status: state === 'running' ? 'Up 1 second' : 'Exited (0) 1 second ago',
    labels: {
      [LABEL.project]: project.name,
      [LABEL.service]: c.service,
      [LABEL.containerNumber]: String(number),
      [LABEL.oneoff]: c.oneoff === true ? 'True' : 'False',
      [LABEL.configHash]: c.hash ?? (created === undefined ? 'stale' : configHash(created, project)),
      ...(created === undefined ? {} : { [RECORDED_CONFIG_LABEL]: recordConfig(created, project) }),
      [LABEL.dependsOn]: c.dependsOn ?? '',
    },
    ports: [],
    networks: [],
    mounts: Object.entries(c.volumes ?? {}).map(([destination, name]) => ({ type: 'volume', name, source: `/var/lib/docker/volumes/${name}/_data`, destination })),
  };
}
