import { describe, expect, it } from 'vitest';
import type { ContainerSpec } from '../../src/engine/engine.js';
import { createRunSpec } from '../../src/engine/run-spec.js';
import { buildProject, buildService } from '../support/project-builder.js';

const project = buildProject({ name: 'demo', services: { web: { dependsOn: ['db'] }, db: {} } });
const SLUG = 'ab'.repeat(32);

function spec(overrides: { autoRemove?: boolean; attach?: boolean; stdinOpen?: boolean; useAliases?: boolean } = {}): Record<string, unknown> {
  const service = buildService('web', { dependsOn: ['db'], stdinOpen: overrides.stdinOpen ?? true });
  return createRunSpec({
    project, service, name: 'demo-web-run-abababababab', configHash: 'h', slug: SLUG, autoRemove: overrides.autoRemove ?? false, attach: overrides.attach ?? true,
    ...(overrides.useAliases === undefined ? {} : { useAliases: overrides.useAliases }),
  }).body;
}

describe('createRunSpec', () => {
  it('labels a one-off as compose does: oneoff=True, container-number -1, the slug', () => {
    expect(spec().Labels).toMatchObject({
      'com.docker.compose.project': 'demo',
      'com.docker.compose.service': 'web',
      'com.docker.compose.oneoff': 'True',
      'com.docker.compose.container-number': '-1',
      'com.docker.compose.slug': SLUG,
      'com.docker.compose.depends_on': 'db:service_started:false',
    });
  });

  it('attaches stdio and keeps stdin open until the client closes it', () => {
    expect(spec()).toMatchObject({ AttachStdin: true, AttachStdout: true, AttachStderr: true, OpenStdin: true, StdinOnce: true });
    expect(spec({ stdinOpen: false })).toMatchObject({ AttachStdin: false, OpenStdin: false, StdinOnce: false });
    expect(spec({ attach: false })).toMatchObject({ AttachStdin: false, AttachStdout: false, AttachStderr: false });
  });

  it('asks the engine to remove the container itself with --rm', () => {
    expect(spec({ autoRemove: true }).HostConfig).toMatchObject({ AutoRemove: true });
    expect(spec().HostConfig).not.toHaveProperty('AutoRemove');
  });

  it('joins the networks without the service name as an alias', () => {
    const networking = spec().NetworkingConfig as { EndpointsConfig: Record<string, { Aliases?: string[] }> };
    expect(networking.EndpointsConfig['demo_default']?.Aliases ?? []).not.toContain('web');
  });

  it('answers for the service\'s name and every network alias with --use-aliases, on each network', () => {
    const twoNetworks = buildProject({ name: 'demo', services: { web: { networks: { front: { aliases: ['www'] }, back: { aliases: ['api'] } } } }, networks: { front: {}, back: {} } });
    const service = buildService('web', { networks: { front: { aliases: ['www'] }, back: { aliases: ['api'] } } });
    const run = (useAliases: boolean) => createRunSpec({ project: twoNetworks, service, name: 'demo-web-run-1', configHash: 'h', slug: SLUG, autoRemove: false, attach: true, useAliases });
    expect(aliasesByNetwork(run(true))).toEqual({ demo_back: ['web', 'api'], demo_front: ['web', 'www'] });
    expect(aliasesByNetwork(run(false))).toEqual({ demo_back: [], demo_front: [] });
    // Still a one-off: the flag changes the names it answers for, not what it is.
    expect(run(true).body.Labels).toMatchObject({ 'com.docker.compose.oneoff': 'True' });
  });
});

/** Network → aliases, from the create body's first endpoint and the networks joined after create. */
function aliasesByNetwork(spec: ContainerSpec): Record<string, readonly string[]> {
  const endpoints = (spec.body.NetworkingConfig as { EndpointsConfig: Record<string, { Aliases?: string[] }> }).EndpointsConfig;
  return {
    ...Object.fromEntries(Object.entries(endpoints).map(([name, endpoint]) => [name, endpoint.Aliases ?? []])),
    ...Object.fromEntries(spec.extraNetworks.map((network) => [network.name, network.aliases])),
  };
}
