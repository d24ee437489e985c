import { describe, expect, it } from 'vitest';
import { createRunSpec } from '../../src/engine/run-spec.js';
import { buildProject, buildService } from '../support/project-builder.js';

const project = buildProject({ name: 'demo', services: { web: { dependsOn: ['db'] }, db: {} } });
const SLUG = 'ab'.repeat(32);

function spec(overrides: { autoRemove?: boolean; attach?: boolean; stdinOpen?: boolean } = {}): Record<string, unknown> {
  const service = buildService('web', { dependsOn: ['db'], stdinOpen: overrides.stdinOpen ?? true });
  return createRunSpec({ project, service, name: 'demo-web-run-abababababab', configHash: 'h', slug: SLUG, autoRemove: overrides.autoRemove ?? false, attach: overrides.attach ?? true }).body;
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
});
