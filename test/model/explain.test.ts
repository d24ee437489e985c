// `config --explain` as a specification: on layered files (base + override + extends + .env +
// env_file + include), every value names the file and line it came from and how it got there.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainProject, type ResourceExplanation, type ServiceExplanation } from '../../src/model/explain.js';
import { loadProject } from '../../src/model/load.js';
import { renderExplainText } from '../../src/ui/explain-view.js';

const fixtures = resolve(import.meta.dirname, '../fixtures/explain');
const layered = resolve(fixtures, 'layered');
const at = (file: string, line: number) => ({ file: resolve(layered, file), line });

function explain(options: { env?: Record<string, string>; envFiles?: string[]; dir?: string; files?: string[] } = {}) {
  const cwd = options.dir ?? layered;
  const loaded = loadProject({ cwd, env: options.env ?? {}, homeDir: homedir(), ...(options.files ? { files: options.files } : {}), ...(options.envFiles ? { envFiles: options.envFiles } : {}) });
  return explainProject(loaded, { homeDir: homedir(), envFilesGiven: options.envFiles !== undefined });
}

function service(name: string, options: Parameters<typeof explain>[0] = {}): ServiceExplanation {
  const found = explain(options).services.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no service ${name}`);
  return found;
}

/** path → "file:line via" for compact assertions. */
function origins(s: ServiceExplanation): Record<string, string> {
  return Object.fromEntries(s.values.map((v) => [
    v.path,
    v.via.kind === 'default' ? 'default' : `${v.location?.file.slice(layered.length + 1)}:${v.location?.line} ${v.via.kind}${v.via.kind === 'extends' ? ` ${v.via.service}` : ''}${v.override ? ' !override' : ''}`,
  ]));
}

describe('config --explain on base + override + extends + .env', () => {
  const web = service('web', { env: { FROM_SHELL: 'yes' } });

  it('names the file, line and layer of every value of the service', () => {
    expect(origins(web)).toEqual({
      command: 'common.yaml:3 extends base',
      restart: 'common.yaml:4 extends base',
      image: 'compose.yaml:9 file',
      'ports[0]': 'compose.override.yaml:6 override !override',
      'env_file[0]': 'compose.yaml:16 file',
      'depends_on.db.condition': 'compose.yaml:19 file',
      'depends_on.db.required': 'compose.yaml:18 file',
      'depends_on.db.restart': 'compose.yaml:18 file',
      'networks.default': 'default',
    });
    expect(web.values.find((v) => v.path === 'ports[0]')?.value).toMatchObject({ published: '9090', target: 80 });
  });

  it('lists what !reset removed, where', () => {
    expect(web.resets).toEqual([{ path: 'labels', location: { ...at('compose.override.yaml', 7), column: 5 } }]);
  });

  it('gives each interpolation its variables and where each came from', () => {
    expect(web.interpolations.map((u) => ({ path: u.path, line: u.location.line, value: u.value, variables: u.variables }))).toEqual([
      { path: 'image', line: 9, value: 'nginx:1.27', variables: [{ name: 'NGINX_TAG', source: { kind: 'default' } }] },
      { path: 'environment.GREETING', line: 15, value: 'hello world', variables: [{ name: 'WHO', value: 'world', source: { kind: 'env-file', ...at('.env', 2), given: false } }] },
    ]);
    expect(service('db').interpolations[0]?.variables).toEqual([{ name: 'PG_TAG', value: '16', source: { kind: 'env-file', ...at('.env', 1), given: false } }]);
  });

  it('prefers the shell over .env, and says when --env-file supplied a value', () => {
    expect(service('db', { env: { PG_TAG: '15' } }).interpolations[0]?.variables).toEqual([{ name: 'PG_TAG', value: '15', source: { kind: 'shell' } }]);
    expect(service('db', { envFiles: ['ci.env'] }).interpolations[0]?.variables).toEqual([{ name: 'PG_TAG', value: '17', source: { kind: 'env-file', ...at('ci.env', 1), given: true } }]);
  });

  it('says for each container variable where it came from and what it won over', () => {
    expect(web.environment).toEqual([
      { name: 'VALUE', value: 'two', winner: { source: 'environment', location: { ...at('compose.override.yaml', 4), column: 7 }, value: 'two' }, overridden: [{ source: 'env_file', location: { ...at('app.env', 2), column: 1 }, value: 'from-file' }] },
      { name: 'DEBUG', value: '1', winner: { source: 'env_file', location: { ...at('app.env', 3), column: 1 }, value: '1' }, overridden: [] },
      { name: 'FROM_SHELL', value: 'yes', winner: { source: 'environment', location: { ...at('compose.yaml', 14), column: 7 }, value: null }, fromVariable: { kind: 'shell' }, overridden: [] },
      { name: 'GREETING', value: 'hello world', winner: { source: 'environment', location: { ...at('compose.yaml', 15), column: 7 }, value: 'hello world' }, overridden: [] },
    ]);
  });

  it('says a variable named without a value and not set does not reach the container', () => {
    expect(service('web').environment.find((e) => e.name === 'FROM_SHELL')).toMatchObject({ value: null, fromVariable: { kind: 'unset' } });
  });

  it('renders all of it as text with paths relative to the working directory', () => {
    const text = renderExplainText(explain({ env: { FROM_SHELL: 'yes' } }), { cwd: layered });
    expect(text).toContain('  note: .env feeds ${…} interpolation in the compose file; containers get only environment: and env_file:\n');
    expect(text).toMatch(/ {4}command +\["nginx","-g","daemon off;"\] +common\.yaml:3 \(extends: inherited from service "base"\)\n/);
    expect(text).toMatch(/ {4}ports\[0\] +\{.*"published":"9090".*\} +compose\.override\.yaml:6 \(override file\) !override\n/);
    expect(text).toContain('    compose.yaml:15  environment.GREETING: "hello ${WHO}" → "hello world"\n        WHO = "world": from .env:2\n');
    expect(text).toMatch(/ {4}VALUE="two" +environment compose\.override\.yaml:4; wins over env_file app\.env:2 \("from-file"\)\n/);
    expect(text).toMatch(/ {4}FROM_SHELL="yes" +environment compose\.yaml:14; no value given, so the variable's value is passed, from the shell environment\n/);
  });
});

describe('config --explain with include', () => {
  it('points an included service at its own file and its own .env', () => {
    const dir = resolve(fixtures, 'include');
    const api = explain({ dir }).services.find((s) => s.name === 'api');
    expect(api?.values.find((v) => v.path === 'image')).toEqual({
      path: 'image', value: 'example/api:2.0', override: false,
      location: { file: resolve(dir, 'sub/compose.yaml'), line: 3, column: 5 },
      via: { kind: 'include', from: resolve(dir, 'compose.yaml') },
    });
    expect(api?.interpolations[0]?.variables).toEqual([{ name: 'API_TAG', value: '2.0', source: { kind: 'env-file', file: resolve(dir, 'sub/.env'), line: 1, given: false } }]);
  });
});

describe('config --explain for top-level networks, volumes, secrets and configs', () => {
  const dir = resolve(fixtures, 'resources');
  const file = (name: string) => resolve(dir, name);
  const explainIn = (options: { env?: Record<string, string>; services?: string[] } = {}) =>
    explainProject(loadProject({ cwd: dir, env: options.env ?? {}, homeDir: homedir() }), { homeDir: homedir(), ...(options.services ? { services: options.services } : {}) });
  const resource = (section: string, name: string, options: Parameters<typeof explainIn>[0] = {}): ResourceExplanation => {
    const found = explainIn(options).resources.find((r) => r.section === section && r.name === name);
    if (found === undefined) throw new Error(`no ${section} ${name}`);
    return found;
  };
  /** path → "file:line via" as for services, relative to the fixture. */
  const originsOf = (r: ResourceExplanation): Record<string, string> => Object.fromEntries(r.values.map((v) => [
    v.path,
    v.via.kind === 'default' ? 'default' : `${v.location?.file.slice(dir.length + 1)}:${v.location?.line} ${v.via.kind}${v.override ? ' !override' : ''}`,
  ]));

  it('lists every resource, networks then volumes, secrets, configs, the default network included', () => {
    expect(explainIn().resources.map((r) => `${r.section} ${r.name}`)).toEqual([
      'networks front', 'networks back', 'networks spare', 'networks default',
      'volumes data', 'volumes cache', 'secrets token', 'configs site', 'configs unused',
    ]);
  });

  it('names the file and line of each value, the override file, !override and !reset', () => {
    const front = resource('networks', 'front');
    expect(front.definedAt).toEqual([
      { location: { file: file('compose.yaml'), line: 15, column: 3 }, via: { kind: 'file' } },
      { location: { file: file('compose.override.yaml'), line: 2, column: 3 }, via: { kind: 'override' } },
    ]);
    expect(originsOf(front)).toEqual({ driver: 'compose.yaml:16 file', 'driver_opts["com.example.b"]': 'compose.override.yaml:5 override !override', name: 'default' });
    expect(front.resets).toEqual([{ path: 'labels', location: { file: file('compose.override.yaml'), line: 3, column: 5 } }]);
    expect(resource('networks', 'spare').definedAt.map((d) => d.location.line)).toEqual([24]);
    expect(resource('networks', 'default')).toMatchObject({ definedAt: [], values: [{ path: 'name', value: 'resources_default', via: { kind: 'default' } }] });
    expect(originsOf(resource('secrets', 'token'))).toEqual({ file: 'compose.yaml:30 file', name: 'default' });
    expect(originsOf(resource('configs', 'unused'))).toEqual({ external: 'compose.yaml:35 file', name: 'default' });
  });

  it('gives each interpolated value its variable and that variable\'s source', () => {
    const data = resource('volumes', 'data', { env: { STAGE: 'ci' } });
    expect(originsOf(data)).toEqual({ driver: 'compose.yaml:27 file', name: 'compose.override.yaml:8 override' });
    expect(data.interpolations).toEqual([{
      path: 'name', location: { file: file('compose.override.yaml'), line: 8, column: 11 }, template: 'data-${STAGE}', value: 'data-ci',
      variables: [{ name: 'STAGE', value: 'ci', source: { kind: 'shell' } }],
    }]);
    expect(resource('volumes', 'data').interpolations[0]?.variables).toEqual([{ name: 'STAGE', value: 'prod', source: { kind: 'env-file', file: file('.env'), line: 1, given: false } }]);
    expect(resource('networks', 'back').interpolations[0]?.variables).toEqual([{ name: 'MTU', source: { kind: 'default' } }]);
  });

  it('points an included resource at its own file', () => {
    const cache = resource('volumes', 'cache');
    expect(cache.definedAt).toEqual([{ location: { file: file('sub/compose.yaml'), line: 7, column: 3 }, via: { kind: 'include', from: file('compose.yaml') } }]);
    expect(cache.values.find((v) => v.path === 'labels.from')).toMatchObject({ value: 'sub', location: { file: file('sub/compose.yaml'), line: 9 }, via: { kind: 'include' } });
  });

  it('with services named, explains only the resources they use', () => {
    expect(explainIn({ services: ['web'] }).resources.map((r) => `${r.section} ${r.name}`)).toEqual(['networks front', 'networks back', 'volumes data', 'secrets token', 'configs site']);
    expect(explainIn({ services: ['cache'] }).resources.map((r) => `${r.section} ${r.name}`)).toEqual(['networks default', 'volumes cache']);
  });

  it('renders them as text after the services', () => {
    const text = renderExplainText(explainIn(), { cwd: dir });
    expect(text).toContain([
      'network front',
      '  defined at: compose.yaml:15, compose.override.yaml:2 (override file)',
      '  values:',
      '    driver                        "bridge"           compose.yaml:16',
      '    driver_opts["com.example.b"]  "2"                compose.override.yaml:5 (override file) !override',
      '    name                          "resources_front"  (default: added by Gantry, not in any file)',
      '  reset:',
      '    labels  compose.override.yaml:3 (!reset)',
      '',
    ].join('\n'));
    expect(text).toContain('volume cache\n  defined at: sub/compose.yaml:7 (included by compose.yaml)\n');
    expect(text).toContain('    compose.override.yaml:8  name: "data-${STAGE}" → "data-prod"\n        STAGE = "prod": from .env:1\n');
    expect(text).toContain('network default\n  defined at: (added by Gantry, not in any file)\n');
    expect(text.indexOf('service cache')).toBeLessThan(text.indexOf('network front'));
  });
});
