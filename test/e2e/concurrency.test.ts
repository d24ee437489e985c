// Two `gantry up -d` of one project started at the same moment, on the real engine (20.10 accepts
// duplicate network names, and both runs plan every create): both exit 0, and the project ends
// consistent: one network per declared network, one volume, one running container per replica,
// every container on the surviving networks. `down -v` then leaves nothing.
import { describe, expect, it } from 'vitest';
import { containerNames, gantryIn, inspectContainer, resourceNames, testdata } from '../support/engine-state.js';
import { dockerOk, useProject, type RunResult } from '../support/project.js';

const dir = testdata('concurrency');
const CONTAINERS = ['api-1', 'api-2', 'db-1', 'web-1'];
const NETWORKS = ['back', 'default', 'front'];

function describeRuns(runs: readonly RunResult[]): string {
  return runs.map((r, i) => `run ${i + 1} exited ${r.code}\n${r.stderr}`).join('\n');
}

/** Network name → id of every network labelled with the project (duplicates would repeat a name). */
async function networksOf(project: string): Promise<[string, string][]> {
  const out = await dockerOk(['network', 'ls', '--no-trunc', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Name}} {{.ID}}']);
  return out.split('\n').filter(Boolean).map((line) => line.split(' ') as [string, string]).sort();
}

describe('two up -d of the same project at once', () => {
  it('both succeed, and the project is whole and single', async () => {
    const project = useProject();
    const args = ['-p', project, '--progress', 'plain', 'up', '-d'];
    const runs = await Promise.all([gantryIn(dir, args), gantryIn(dir, args)]);
    expect(runs.map((r) => r.code), describeRuns(runs)).toEqual([0, 0]);

    expect(await containerNames(project, { running: true })).toEqual(CONTAINERS.map((c) => `${project}-${c}`));
    const networks = await networksOf(project);
    expect(networks.map(([name]) => name)).toEqual(NETWORKS.map((n) => `${project}_${n}`));
    expect(await resourceNames('volume', project)).toEqual([`${project}_data`]);
    // Every container joined the one surviving copy of each of its networks.
    const ids = new Map(networks);
    for (const name of CONTAINERS) {
      const joined = (await inspectContainer(`${project}-${name}`)).NetworkSettings.Networks as Record<string, { NetworkID?: string }>;
      for (const [network, endpoint] of Object.entries(joined)) expect(endpoint.NetworkID, `${name} on ${network}`).toBe(ids.get(network));
    }

    // A third run finds everything in place and changes nothing.
    const again = await gantryIn(dir, args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/Creat|Recreat/);

    const down = await gantryIn(dir, ['-p', project, 'down', '-v', '-t', '1']);
    expect(down.code, down.stderr).toBe(0);
    expect(await containerNames(project)).toEqual([]);
    expect(await resourceNames('network', project)).toEqual([]);
    expect(await resourceNames('volume', project)).toEqual([]);
  });

  it('two down -v at once both succeed and leave nothing', async () => {
    const project = useProject();
    const up = await gantryIn(dir, ['-p', project, 'up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const args = ['-p', project, '--progress', 'plain', 'down', '-v', '-t', '1'];
    const runs = await Promise.all([gantryIn(dir, args), gantryIn(dir, args)]);
    expect(runs.map((r) => r.code), describeRuns(runs)).toEqual([0, 0]);
    expect(await containerNames(project)).toEqual([]);
    expect(await resourceNames('network', project)).toEqual([]);
    expect(await resourceNames('volume', project)).toEqual([]);
  });
});
