// The teaching commands from the command line: hints on stderr (and how to silence them),
// `graph` drawing a broken file's loop, `config --explain` as text and JSON, format errors.
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, REPO_ROOT, runCli } from '../support/cli.js';

const fixtures = resolve(REPO_ROOT, 'test/fixtures');

beforeAll(() => assertBuilt());

// Each test starts the CLI (a node process) once or twice; under a full parallel run that takes seconds.

describe('hints on the command line', { timeout: 30_000 }, () => {
  const cwd = resolve(fixtures, 'hints/base-60-port');

  it('config -q validates, prints nothing on stdout, and shows the hint with its line and fix on stderr', async () => {
    const result = await runCli(['config', '-q'], { cwd });
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toBe([
      'HINT compose.yaml:5:9  port 2222:22 is not quoted: YAML 1.1 tools (PyYAML, docker-compose v1) read it as the base-60 number 133342',
      '     fix: quote it: "2222:22"',
      '',
    ].join('\n'));
  });

  it('is silenced by --quiet-hints and by GANTRY_HINTS=0', async () => {
    expect((await runCli(['--quiet-hints', 'config', '-q'], { cwd })).stderr).toBe('');
    expect((await runCli(['config', '-q'], { cwd, env: { GANTRY_HINTS: '0' } })).stderr).toBe('');
  });
});

describe('gantry graph', { timeout: 30_000 }, () => {
  it('draws a file with a dependency cycle, marks the loop, warns, and exits 0', async () => {
    const result = await runCli(['graph'], { cwd: resolve(fixtures, 'graph/cycle') });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('  service_a -->|"service_started (cycle)"| service_b\n');
    expect(result.stdout).toContain('  linkStyle 0,1,2 stroke:#d62728,stroke-width:3px\n');
    expect(result.stderr).toContain('WARN dependency cycle: a → b → c → a');
  });

  it('speaks DOT, and refuses formats it does not know', async () => {
    const cwd = resolve(fixtures, 'graph/stack');
    const dot = await runCli(['graph', '--format', 'dot', '--services-only'], { cwd });
    expect(dot.stdout).toContain('  "service:web" -> "service:api" [label="service_healthy, restart"];\n');
    const bad = await runCli(['graph', '--format', 'svg'], { cwd });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown format "svg"');
  });
});

describe('gantry graph SERVICE', { timeout: 30_000 }, () => {
  const cwd = resolve(fixtures, 'graph/stack');

  it('draws only the named service and what it depends on', async () => {
    const result = await runCli(['graph', 'migrate'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe([
      'flowchart LR',
      '  service_migrate["migrate"]',
      '  service_db["db"]',
      '  network_back{{"network back"}}',
      '  volume_data[("volume data")]',
      '  volume_shared[("volume shared (external)")]',
      '  service_migrate -->|"service_started"| service_db',
      '  service_migrate -.- network_back',
      '  service_db -.- network_back',
      '  service_db -.-|"/var/lib/db"| volume_data',
      '  service_db -.-|"/shared:ro"| volume_shared',
      '',
    ].join('\n'));
  });

  it('refuses a service the file does not define, suggesting the nearest name', async () => {
    const result = await runCli(['graph', 'mgirate'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no such service: mgirate');
    expect(result.stderr).toContain('did you mean "migrate"?');
  });
});

describe('gantry config --explain', { timeout: 30_000 }, () => {
  const cwd = resolve(fixtures, 'explain/layered');

  it('prints where each value came from', async () => {
    const result = await runCli(['--quiet-hints', 'config', '--explain', 'web'], { cwd, env: { FROM_SHELL: 'yes' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ {4}restart +"unless-stopped" +common\.yaml:4 \(extends: inherited from service "base"\)\n/);
    expect(result.stdout).not.toContain('service db');
  });

  it('gives machines JSON', async () => {
    const result = await runCli(['--quiet-hints', 'config', '--explain', '--format', 'json'], { cwd });
    const parsed = JSON.parse(result.stdout) as { project: string; services: { name: string }[] };
    expect(parsed.project).toBe('layered');
    expect(parsed.services.map((s) => s.name)).toEqual(['web', 'db']);
  });
});

describe('gantry config --explain for top-level resources', { timeout: 30_000 }, () => {
  it('gives each network, volume, secret and config in JSON with its origins', async () => {
    const cwd = resolve(fixtures, 'explain/resources');
    const result = await runCli(['--quiet-hints', 'config', '--explain', '--format', 'json', 'web'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as { resources: { section: string; name: string; values: { path: string; location?: { file: string; line: number } }[] }[] };
    expect(parsed.resources.map((r) => `${r.section} ${r.name}`)).toEqual(['networks front', 'networks back', 'volumes data', 'secrets token', 'configs site']);
    expect(parsed.resources.find((r) => r.name === 'data')?.values.find((v) => v.path === 'name')?.location).toMatchObject({ file: resolve(cwd, 'compose.override.yaml'), line: 8 });
  });
});

describe('gantry plan', { timeout: 30_000 }, () => {
  it('refuses an unknown --format before it talks to the engine', async () => {
    const result = await runCli(['plan', '--format', 'xml'], { cwd: resolve(fixtures, 'graph/stack') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('unknown format "xml"');
  });
});
