// Specification of schema validation: every problem in a compose file is reported once, at the
// line and column of the offending key or value, in words a YAML user knows, with a suggestion.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatPath } from '../../src/model/field-path.js';
import { parseSource } from '../../src/model/source.js';
import { validateTree } from '../../src/model/validate.js';

interface Expected {
  /** line:column */
  readonly at: string;
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

function validate(yaml: string): Expected[] {
  const source = parseSource('/project/compose.yaml', yaml);
  return validateTree(source, source.tree).map((issue) => ({
    at: `${issue.line}:${issue.column}`,
    path: formatPath(issue.path),
    message: issue.message,
    ...(issue.hint === undefined ? {} : { hint: issue.hint }),
  }));
}

/** Joins lines, so that columns in the fixtures can be read off the source. */
const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;

interface Case {
  readonly name: string;
  readonly file: string;
  readonly issues: readonly Expected[];
}

function specify(cases: readonly Case[]): void {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(validate(c.file)).toEqual(c.issues);
  });
}

describe('an unknown key is reported at the key, with the key it most likely meant', () => {
  specify([
    {
      name: 'top level',
      file: yaml('name: demo', 'servics:', '  web:', '    image: nginx'),
      issues: [{ at: '2:1', path: 'servics', message: 'unknown key "servics"', hint: 'did you mean "services"?' }],
    },
    {
      name: 'service',
      file: yaml('services:', '  web:', '    image: nginx', '    comand: echo hi'),
      issues: [{ at: '4:5', path: 'services.web.comand', message: 'unknown key "comand"', hint: 'did you mean "command"?' }],
    },
    {
      name: 'healthcheck',
      file: yaml('services:', '  web:', '    image: nginx', '    healthcheck:', '      test: ["CMD", "true"]', '      intervall: 10s'),
      issues: [{ at: '6:7', path: 'services.web.healthcheck.intervall', message: 'unknown key "intervall"', hint: 'did you mean "interval"?' }],
    },
    {
      name: 'network',
      file: yaml('networks:', '  back:', '    drivr: bridge'),
      issues: [{ at: '3:5', path: 'networks.back.drivr', message: 'unknown key "drivr"', hint: 'did you mean "driver"?' }],
    },
    {
      name: 'volume',
      file: yaml('volumes:', '  data:', '    driver_opt:', '      type: tmpfs'),
      issues: [{ at: '3:5', path: 'volumes.data.driver_opt', message: 'unknown key "driver_opt"', hint: 'did you mean "driver_opts"?' }],
    },
    {
      name: 'build, written with a dash and a capital',
      file: yaml('services:', '  web:', '    build:', '      Docker-File: web.Dockerfile'),
      issues: [{ at: '4:7', path: 'services.web.build.Docker-File', message: 'unknown key "Docker-File"', hint: 'did you mean "dockerfile"?' }],
    },
    {
      name: 'a misspelt required key is one problem, not also "missing"',
      file: yaml('services:', '  web:', '    image: nginx', '    depends_on:', '      db:', '        condtion: service_healthy', '  db:', '    image: postgres'),
      issues: [{ at: '6:9', path: 'services.web.depends_on.db.condtion', message: 'unknown key "condtion"', hint: 'did you mean "condition"?' }],
    },
  ]);
});

describe('an unknown key with no close match says what is allowed there', () => {
  specify([
    {
      name: 'top level: all keys, and the extension rule',
      file: yaml('services: {}', 'frobnicate: 1'),
      issues: [{ at: '2:1', path: 'frobnicate', message: 'unknown key "frobnicate"', hint: 'known keys: configs, include, models, name, networks, secrets, services, version, volumes; custom keys must start with "x-"' }],
    },
    {
      name: 'service: the common keys',
      file: yaml('services:', '  web:', '    image: nginx', '    frobnicate: 1'),
      issues: [{ at: '4:5', path: 'services.web.frobnicate', message: 'unknown key "frobnicate"', hint: 'known keys include: build, command, depends_on, environment, healthcheck, image, networks, ports, volumes; custom keys must start with "x-"' }],
    },
    {
      name: 'a service key indented into the wrong mapping',
      file: yaml('services:', '  web:', '    image: nginx', '    healthcheck:', '      test: ["CMD", "true"]', '      ports: ["80:80"]'),
      issues: [{ at: '6:7', path: 'services.web.healthcheck.ports', message: 'unknown key "ports"', hint: '"ports" belongs directly under a service; check its indentation' }],
    },
    {
      name: 'a service written at the top level',
      file: yaml('services: {}', 'web:', '  image: nginx'),
      issues: [{ at: '2:1', path: 'web', message: 'unknown key "web"', hint: 'this looks like a service; put it under "services:"' }],
    },
    {
      name: 'a service key at the top level',
      file: yaml('image: nginx'),
      issues: [{ at: '1:1', path: 'image', message: 'unknown key "image"', hint: '"image" is a service key; put it under services.<name>' }],
    },
    {
      name: 'an extension key where extensions are not allowed',
      file: yaml('services:', '  web:', '    image: nginx', '    blkio_config:', '      x-note: slow disk'),
      issues: [{ at: '5:7', path: 'services.web.blkio_config.x-note', message: 'unknown key "x-note"', hint: 'extension keys (x-…) are not allowed here; put them at the top level or directly in a service' }],
    },
  ]);
});

describe('a value of the wrong type names what was expected and what was found', () => {
  specify([
    {
      name: 'ports as a mapping (at the key: the value spans lines)',
      file: yaml('services:', '  web:', '    image: nginx', '    ports:', '      "8080": 80'),
      issues: [{ at: '4:5', path: 'services.web.ports', message: 'expected a list, got a mapping', hint: 'write each entry on its own line, starting with "- "' }],
    },
    {
      name: 'a port written as `- 8080: 80` (a mapping, not the long syntax)',
      file: yaml('services:', '  web:', '    image: nginx', '    ports:', '      - 8080: 80'),
      issues: [{ at: '5:9', path: 'services.web.ports[0]', message: 'expected a port as a number or a string like "8080:80", got a mapping', hint: 'quote short ports, as in - "8080:80"; the long syntax uses keys such as target and published' }],
    },
    {
      name: 'ports as one string',
      file: yaml('services:', '  web:', '    image: nginx', '    ports: "8080:80"'),
      issues: [{ at: '4:12', path: 'services.web.ports', message: 'expected a list, got a string', hint: 'make it a list: ["8080:80"]' }],
    },
    {
      name: 'command as a number',
      file: yaml('services:', '  web:', '    image: nginx', '    command: 42'),
      issues: [{ at: '4:14', path: 'services.web.command', message: 'expected a string or a list of strings, got a number', hint: 'quote it to make it a string: "42"' }],
    },
    {
      name: 'environment as a number',
      file: yaml('services:', '  web:', '    image: nginx', '    environment: 3'),
      issues: [{ at: '4:18', path: 'services.web.environment', message: 'expected a mapping or a list of strings, got a number', hint: 'write KEY: value pairs, or a list of "KEY=value" strings' }],
    },
    {
      name: 'image as a number',
      file: yaml('services:', '  web:', '    image: 1.5'),
      issues: [{ at: '3:12', path: 'services.web.image', message: 'expected a string, got a number', hint: 'quote it to make it a string: "1.5"' }],
    },
    {
      name: 'a boolean-or-string field given a number gets no quoting advice',
      file: yaml('services:', '  web:', '    image: nginx', '    init: 5'),
      issues: [{ at: '4:11', path: 'services.web.init', message: 'expected a boolean or a string, got a number' }],
    },
    {
      name: 'an integer field given a fraction',
      file: yaml('models:', '  llm:', '    model: ai/smollm2', '    context_size: 1.5'),
      issues: [{ at: '4:19', path: 'models.llm.context_size', message: 'expected an integer, got 1.5' }],
    },
    {
      name: 'services as a list',
      file: yaml('services:', '  - web'),
      issues: [{ at: '1:1', path: 'services', message: 'expected a mapping of service names to service definitions, got a list' }],
    },
    {
      name: 'a service with no definition',
      file: yaml('services:', '  web:'),
      issues: [{ at: '2:3', path: 'services.web', message: 'expected a mapping, got null', hint: 'the key has no value; give it one or remove the key' }],
    },
    {
      name: 'a network entry in a service given a number',
      file: yaml('services:', '  web:', '    image: nginx', '    networks:', '      front: 3', 'networks:', '  front: {}'),
      issues: [{ at: '5:14', path: 'services.web.networks.front', message: 'expected a mapping, got a number' }],
    },
  ]);
});

describe('a value outside a fixed set lists the set and suggests the nearest', () => {
  specify([
    {
      name: 'depends_on condition',
      file: yaml('services:', '  web:', '    image: nginx', '    depends_on:', '      db:', '        condition: service_healty', '  db:', '    image: postgres'),
      issues: [{ at: '6:20', path: 'services.web.depends_on.db.condition', message: 'must be one of: service_started, service_healthy, service_completed_successfully (got "service_healty")', hint: 'did you mean "service_healthy"?' }],
    },
    {
      name: 'mount type',
      file: yaml('services:', '  web:', '    image: nginx', '    volumes:', '      - type: bnd', '        source: ./html', '        target: /usr/share/nginx/html'),
      issues: [{ at: '5:15', path: 'services.web.volumes[0].type', message: 'must be one of: bind, volume, tmpfs, cluster, npipe, image (got "bnd")', hint: 'did you mean "bind"?' }],
    },
    {
      name: 'gpus',
      file: yaml('services:', '  web:', '    image: nginx', '    gpus: al'),
      issues: [{ at: '4:11', path: 'services.web.gpus', message: 'must be one of: all (got "al")', hint: 'did you mean "all"?' }],
    },
  ]);
});

describe('a missing required key is reported at the mapping that lacks it', () => {
  specify([
    {
      name: 'a depends_on entry without condition',
      file: yaml('services:', '  web:', '    image: nginx', '    depends_on:', '      db:', '        restart: true', '  db:', '    image: postgres'),
      issues: [{ at: '5:7', path: 'services.web.depends_on.db', message: 'missing required key "condition"', hint: 'add condition: one of service_started, service_healthy, service_completed_successfully' }],
    },
    {
      name: 'a long-syntax mount without type',
      file: yaml('services:', '  web:', '    image: nginx', '    volumes:', '      - source: data', '        target: /data'),
      issues: [{ at: '5:9', path: 'services.web.volumes[0]', message: 'missing required key "type"', hint: 'add type: one of bind, volume, tmpfs, cluster, npipe, image' }],
    },
  ]);
});

describe('names, ranges and duplicates', () => {
  specify([
    {
      name: 'a service name with a space',
      file: yaml('services:', '  my web:', '    image: nginx'),
      issues: [{ at: '2:3', path: 'services["my web"]', message: 'invalid service name "my web"', hint: 'service names may contain only letters, digits, ".", "_" and "-"' }],
    },
    {
      name: 'an empty service name',
      file: yaml('services:', '  "":', '    image: nginx'),
      issues: [{ at: '2:3', path: 'services[""]', message: 'invalid service name ""', hint: 'a service name cannot be empty' }],
    },
    {
      name: 'a number above its maximum',
      file: yaml('services:', '  web:', '    image: nginx', '    cpu_percent: 150'),
      issues: [{ at: '4:18', path: 'services.web.cpu_percent', message: 'must be at most 100 (got 150)' }],
    },
    {
      name: 'the same port twice, at the second one',
      file: yaml('services:', '  web:', '    image: nginx', '    ports:', '      - "8080:80"', '      - "8080:80"'),
      issues: [{ at: '6:9', path: 'services.web.ports[1]', message: 'duplicate entry "8080:80" (already listed at [0])', hint: 'remove one of them' }],
    },
  ]);
});

describe('the top level must be a mapping', () => {
  specify([
    {
      name: 'a list',
      file: yaml('- web', '- db'),
      issues: [{ at: '1:1', path: '', message: 'the compose file must be a mapping of top-level keys (services, networks, volumes, …)', hint: 'its top level is a list; a compose file starts with a key such as "services:"' }],
    },
    {
      name: 'a scalar',
      file: yaml('hello'),
      issues: [{ at: '1:1', path: '', message: 'the compose file must be a mapping of top-level keys (services, networks, volumes, …)', hint: 'its top level is a string; a compose file starts with a key such as "services:"' }],
    },
  ]);
});

describe('every problem in a file is reported, once each, in file order', () => {
  it('reports independent mistakes in one service and elsewhere', () => {
    const file = yaml('services:', '  web:', '    image: nginx', '    comand: echo', '    ports: 8080', '    restart: 5', 'networks:', '  back:', '    drivr: bridge');
    expect(validate(file).map((i) => `${i.at} ${i.message}`)).toEqual([
      '4:5 unknown key "comand"',
      '5:12 expected a list, got a number',
      '6:14 expected a string, got a number',
      '9:5 unknown key "drivr"',
    ]);
  });

  it('reports a problem inherited through a merge key once for each service that inherits it', () => {
    const file = yaml('x-common: &common', '  restart: 5', 'services:', '  a:', '    image: nginx', '    <<: *common', '  b:', '    image: nginx', '    <<: *common');
    expect(validate(file).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'services.a.restart: expected a string, got a number',
      'services.b.restart: expected a string, got a number',
    ]);
  });
});

describe('valid files produce no issues', () => {
  specify([
    { name: 'an empty file', file: '', issues: [] },
    { name: 'a minimal service', file: yaml('services:', '  web:', '    image: nginx'), issues: [] },
    {
      name: 'extensions, long syntax and null entries',
      file: yaml(
        'x-env: &env', '  TZ: UTC',
        'services:', '  web:', '    image: nginx', '    x-owner: team-a', '    environment: *env',
        '    ports:', '      - target: 80', '        published: "8080"', '    depends_on:', '      db:', '        condition: service_healthy',
        '    networks:', '      front:', '  db:', '    image: postgres',
        'networks:', '  front:',
      ),
      issues: [],
    },
  ]);

  // Speed is measured by the benchmark (config -q on 100 services); here only the verdict.
  it('accepts a valid 100-service file with a dependency chain', () => {
    const services = Array.from({ length: 100 }, (_, i) => [
      `  s${i}:`, '    image: nginx', `    ports: ["${8000 + i}:80"]`, '    environment:', '      A: "1"',
      ...(i > 0 ? ['    depends_on:', `      s${i - 1}:`, '        condition: service_started'] : []),
    ]).flat();
    const source = parseSource('/project/compose.yaml', yaml('services:', ...services));
    expect(validateTree(source, source.tree)).toEqual([]);
  });
});

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = resolve(repoRoot, '../shared/corpus');

interface ManifestEntry {
  readonly file: string;
  readonly expect: 'valid' | 'invalid';
  readonly why: string;
  readonly interpolates?: boolean;
  readonly role?: string;
}

describe('the conformance corpus', () => {
  if (!existsSync(resolve(corpus, 'manifest.json'))) {
    it.skip(`is not present at ${corpus}; these checks need ../shared/corpus next to the repository`, () => undefined);
    return;
  }
  const manifest = JSON.parse(readFileSync(resolve(corpus, 'manifest.json'), 'utf8')) as ManifestEntry[];
  const check = (file: string): Expected[] => validate(readFileSync(resolve(corpus, file), 'utf8'));
  const invalid = manifest.filter((e) => e.why.startsWith('schema:')).map((e) => e.file);
  const valid = manifest.filter((e) => e.expect === 'valid' && e.role === undefined && e.interpolates !== true).map((e) => e.file);

  it.each(invalid)('finds a schema problem in %s', (file) => {
    expect(check(file).length).toBeGreaterThan(0);
  });
  it.each(valid)('finds nothing wrong in %s', (file) => {
    expect(check(file)).toEqual([]);
  });
});
