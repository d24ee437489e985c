// Proves the real-engine test bed that scripts/setup.sh prepares: an answering engine, the
// offline busybox test image with the applets tests rely on, port publishing on 127.0.0.1,
// DNS between containers on a user network, the local registry, and the docker-compose v1 peer.
import { describe, expect, it } from 'vitest';
import { PROJECT_LABEL, REGISTRY, REGISTRY_IMAGE, TEST_IMAGE, docker, dockerOk, eventually, removeProject, run, uniqueProjectName, useProject, fetchWithin } from '../support/project.js';

describe('test bed', () => {
  it('has an engine that answers', async () => {
    const r = await docker(['version', '--format', '{{.Server.APIVersion}}']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^1\.\d+$/);
  });

  it('runs the offline test image', async () => {
    const project = useProject();
    const r = await docker(['run', '--rm', '--label', `${PROJECT_LABEL}=${project}`, TEST_IMAGE, 'echo', 'hello']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('hello\n');
  });

  it('has the applets and users tests rely on', async () => {
    const project = useProject();
    const applets = ['sh', 'true', 'false', 'sleep', 'httpd', 'wget', 'nc', 'grep', 'id', 'kill'];
    const script = `for a in ${applets.join(' ')}; do command -v "$a" >/dev/null || echo "missing $a"; done; id -un; id -u nobody; test -d /tmp -a -d /var/www && echo dirs`;
    const r = await docker(['run', '--rm', '--label', `${PROJECT_LABEL}=${project}`, TEST_IMAGE, 'sh', '-c', script]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('root\n65534\ndirs\n');
    // `sh -c 'exit N'` makes one-shot jobs with any exit code.
    const job = await docker(['run', '--rm', '--label', `${PROJECT_LABEL}=${project}`, TEST_IMAGE, 'sh', '-c', 'exit 3']);
    expect(job.code).toBe(3);
  });

  it('serves a file from busybox httpd on a port published on 127.0.0.1', async () => {
    const project = useProject();
    const name = `${project}-web`;
    await dockerOk([
      'run', '-d', '--name', name, '--label', `${PROJECT_LABEL}=${project}`,
      '-p', '127.0.0.1::8080', TEST_IMAGE,
      'sh', '-c', 'mkdir -p /srv && echo "hello from $(hostname)" > /srv/index.html && exec httpd -f -p 8080 -h /srv',
    ]);
    const mapping = (await dockerOk(['port', name, '8080/tcp'])).trim().split('\n')[0] ?? '';
    const port = Number(mapping.split(':').pop());
    expect(mapping.startsWith('127.0.0.1:'), mapping).toBe(true);
    expect(port).toBeGreaterThan(0);

    const body = await eventually(
      async () => {
        const res = await fetchWithin(`http://127.0.0.1:${port}/index.html`);
        expect(res.status).toBe(200);
        return res.text();
      },
      { timeoutMs: 15_000 },
    );
    expect(body).toMatch(/^hello from [0-9a-f]{12}\n$/);
  });

  it('resolves container names on a user-defined network', async () => {
    const project = useProject();
    const net = `${project}_default`;
    await dockerOk(['network', 'create', '--label', `${PROJECT_LABEL}=${project}`, net]);
    await dockerOk([
      'run', '-d', '--name', `${project}-api`, '--network', net, '--network-alias', 'api',
      '--label', `${PROJECT_LABEL}=${project}`, TEST_IMAGE,
      'sh', '-c', 'mkdir -p /srv && echo pong > /srv/ping && exec httpd -f -p 80 -h /srv',
    ]);
    const out = await eventually(
      async () => {
        const r = await docker([
          'run', '--rm', '--network', net, '--label', `${PROJECT_LABEL}=${project}`, TEST_IMAGE,
          // Not `wget -T`: Debian's static busybox 1.35 segfaults (exit 139) with it.
          'timeout', '5', 'wget', '-q', '-O', '-', 'http://api/ping',
        ]);
        expect(r.code, r.stderr).toBe(0);
        return r.stdout;
      },
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(out).toBe('pong\n');
  });

  it('pulls the test image from the local registry', async () => {
    const res = await fetchWithin(`http://${REGISTRY}/v2/gantry-test/busybox/tags/list`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { tags?: string[] }).tags).toContain('1');

    // Removing the tag only untags: TEST_IMAGE keeps the same image. (No check that the tag is
    // gone afterwards: another test file may pull it meanwhile.)
    const rmi = await docker(['rmi', REGISTRY_IMAGE]);
    expect(rmi.code === 0 || /No such image/i.test(rmi.stderr), rmi.stderr).toBe(true);
    const pull = await docker(['pull', REGISTRY_IMAGE]);
    expect(pull.code, pull.stderr).toBe(0);
    const [pulledId, testId] = await Promise.all([
      dockerOk(['image', 'inspect', '--format', '{{.Id}}', REGISTRY_IMAGE]),
      dockerOk(['image', 'inspect', '--format', '{{.Id}}', TEST_IMAGE]),
    ]);
    expect(pulledId.trim()).toBe(testId.trim());
  });

  it('has docker-compose v1 as a peer', async () => {
    const r = await run('docker-compose', ['version', '--short']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toMatch(/^1\.\d+\.\d+/);
  });

  it('cleans up everything labelled with a project', async () => {
    const project = uniqueProjectName();
    try {
      await dockerOk(['network', 'create', '--label', `${PROJECT_LABEL}=${project}`, `${project}_net`]);
      await dockerOk(['volume', 'create', '--label', `${PROJECT_LABEL}=${project}`, `${project}_data`]);
      await dockerOk([
        'run', '-d', '--label', `${PROJECT_LABEL}=${project}`, '--network', `${project}_net`,
        '-v', `${project}_data:/data`, TEST_IMAGE, 'sleep', '600',
      ]);
    } finally {
      expect(await removeProject(project)).toEqual([]);
    }
    const label = `label=${PROJECT_LABEL}=${project}`;
    expect((await dockerOk(['ps', '-aq', '--filter', label])).trim()).toBe('');
    expect((await dockerOk(['network', 'ls', '-q', '--filter', label])).trim()).toBe('');
    expect((await dockerOk(['volume', 'ls', '-q', '--filter', label])).trim()).toBe('');
  });
});
