// PURE: the create body of a `run` one-off container: the service's spec (container-spec.ts)
// labelled as compose labels one-offs, with its stdio attachable and, for --rm, AutoRemove. By
// default a one-off answers for no alias of the service, so it never takes the service's traffic.
import type { ContainerSpec } from './engine.js';
import type { Project, Service } from '../model/types.js';
import { LABEL } from '../plan/labels.js';
import { createContainerSpec } from './container-spec.js';

export interface RunSpecInput {
  readonly project: Project;
  /** The service with the run's overrides applied (plan/run-service.ts). */
  readonly service: Service;
  readonly name: string;
  readonly configHash: string;
  /** 64 hex characters: com.docker.compose.slug. */
  readonly slug: string;
  /** `--rm`: the engine removes the container once it exits, even if Gantry is killed. */
  readonly autoRemove: boolean;
  /** Whether a client will attach (not `-d`): stdout/stderr, and stdin when interactive. */
  readonly attach: boolean;
  /** `--use-aliases`: answer for the service's name and network aliases, as its own containers do. @default false */
  readonly useAliases?: boolean;
}

/** One-offs carry container-number -1, oneoff=True and a slug, as compose's run does. */
export function createRunSpec(input: RunSpecInput): ContainerSpec {
  const spec = createContainerSpec({ project: input.project, service: input.service, number: -1, configHash: input.configHash, oneoff: true, name: input.name, useAliases: input.useAliases === true });
  const body = spec.body;
  const labels = { ...asRecord(body.Labels), [LABEL.slug]: input.slug };
  const stdin = input.attach && input.service.stdinOpen;
  return {
    ...spec,
    body: {
      ...body,
      Labels: labels,
      AttachStdin: stdin,
      AttachStdout: input.attach,
      AttachStderr: input.attach,
      OpenStdin: input.service.stdinOpen,
      // The container's stdin closes when the attached client's does, as `docker run -i`.
      StdinOnce: stdin,
      HostConfig: { ...asRecord(body.HostConfig), ...(input.autoRemove ? { AutoRemove: true } : {}) },
    },
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
}
