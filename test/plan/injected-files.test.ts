// Specification of the secrets and configs copied into containers (environment and inline
// sources; host files are bind-mounted instead), the digest that recreates a container when one
// changes, and the sources `up` refuses before it touches the engine.
import { describe, expect, it } from 'vitest';
import type { FileObject, Project } from '../../src/model/types.js';
import { configHash } from '../../src/plan/hash.js';
import { findSourceProblems, injectedFiles, injectedFilesDigest } from '../../src/plan/injected-files.js';
import { readRecordedConfig, recordConfig } from '../../src/plan/recorded-config.js';
import { buildProject, type ServiceInput } from '../support/project-builder.js';

const SECRET = 's3cr3t-value';

function object(key: string, source: Partial<FileObject>): FileObject {
  return { key, name: `demo_${key}`, external: false, ...source };
}

function project(web: ServiceInput, sources: { secrets?: Record<string, Partial<FileObject>>; configs?: Record<string, Partial<FileObject>> } = {}): Project {
  const toObjects = (input: Record<string, Partial<FileObject>> = {}) => Object.fromEntries(Object.entries(input).map(([k, v]) => [k, object(k, v)]));
  return { ...buildProject({ services: { web } }), secrets: toObjects(sources.secrets), configs: toObjects(sources.configs) };
}

const SOURCES = {
  secrets: {
    token: { file: '/work/demo/token.txt' },
    api_key: { environment: 'API_KEY', environmentValue: SECRET },
  },
  configs: {
    inline: { content: 'listen 80' },
    fromenv: { environment: 'APP_CONF', environmentValue: 'conf-value' },
  },
};

const WEB: ServiceInput = {
  secrets: [
    { source: 'token', target: '/run/secrets/token' },
    { source: 'api_key', target: '/run/secrets/api_key' },
    { source: 'api_key', target: '/run/secrets/owned', uid: '1000', gid: '1001', mode: 0o400 },
  ],
  configs: [{ source: 'inline', target: '/etc/app.conf' }, { source: 'fromenv', target: '/etc/env.conf', mode: 0o640 }],
};

describe('injectedFiles', () => {
  it('copies environment and inline sources, not host files, with compose\'s default mode 0444', () => {
    const p = project(WEB, SOURCES);
    expect(injectedFiles(p, p.services.web!)).toEqual([
      { kind: 'secret', source: 'api_key', target: '/run/secrets/api_key', content: SECRET, mode: 0o444 },
      { kind: 'secret', source: 'api_key', target: '/run/secrets/owned', content: SECRET, mode: 0o400, uid: 1000, gid: 1001 },
      { kind: 'config', source: 'inline', target: '/etc/app.conf', content: 'listen 80', mode: 0o444 },
      { kind: 'config', source: 'fromenv', target: '/etc/env.conf', content: 'conf-value', mode: 0o640 },
    ]);
  });

  it('has nothing to copy for host files, external objects or an unset variable', () => {
    const p = project(WEB, { secrets: { token: { file: '/t' }, api_key: { environment: 'API_KEY' } }, configs: { inline: { external: true }, fromenv: { file: '/c' } } });
    expect(injectedFiles(p, p.services.web!)).toEqual([]);
  });
});

describe('the config hash of a service with copied files', () => {
  it('changes when a copied value changes, and only then', () => {
    const base = project(WEB, SOURCES);
    const same = project(WEB, SOURCES);
    const rotated = project(WEB, { ...SOURCES, secrets: { ...SOURCES.secrets, api_key: { environment: 'API_KEY', environmentValue: 'rotated' } } });
    const edited = project(WEB, { ...SOURCES, configs: { ...SOURCES.configs, inline: { content: 'listen 8080' } } });
    expect(configHash(same.services.web!, same)).toBe(configHash(base.services.web!, base));
    expect(configHash(rotated.services.web!, rotated)).not.toBe(configHash(base.services.web!, base));
    expect(configHash(edited.services.web!, edited)).not.toBe(configHash(base.services.web!, base));
  });

  it('is unchanged for services without copied files (no new field in their hash)', () => {
    const p = project({ secrets: [{ source: 'token', target: '/run/secrets/token' }] }, { secrets: { token: { file: '/t' } } });
    expect(injectedFilesDigest(p, p.services.web!)).toBeUndefined();
    expect(recordConfig(p.services.web!, p)).not.toContain('injectedFiles');
  });

  it('records a digest, never the value, in the label that explains the hash', () => {
    const p = project(WEB, SOURCES);
    const label = recordConfig(p.services.web!, p);
    expect(label).toContain('"injectedFiles":"');
    expect(label).not.toContain(SECRET);
    expect(label).not.toContain('conf-value');
    expect(readRecordedConfig({ 'com.docker.compose.config-hash': configHash(p.services.web!, p), 'dev.gantry.config': label })?.injectedFiles).toBe(injectedFilesDigest(p, p.services.web!));
  });
});

describe('findSourceProblems', () => {
  it('names an unset variable, a swarm-only external source, a source-less object and a non-numeric uid', () => {
    const p = project({
      secrets: [{ source: 'api_key', target: '/run/secrets/api_key', uid: 'www-data' }, { source: 'shared', target: '/run/secrets/shared' }],
      configs: [{ source: 'empty', target: '/empty' }],
    }, { secrets: { api_key: { environment: 'API_KEY' }, shared: { external: true } }, configs: { empty: {} } });
    expect(findSourceProblems(p, ['web']).map((x) => x.message)).toEqual([
      'service "web": uid "www-data" of secret "api_key" is not a number',
      'secret "api_key" takes its value from the variable API_KEY, which is not set',
      'secret "shared" is external, which only Docker Swarm provides',
      'config "empty" has no source',
    ]);
  });

  it('names a host file that is not there, when the caller can look', () => {
    const p = project(WEB, SOURCES);
    const missing = findSourceProblems(p, ['web'], (file) => file !== '/work/demo/token.txt');
    expect(missing).toEqual([{ message: 'secret "token": file /work/demo/token.txt not found', hint: 'create the file, or correct its path (relative paths start at the project directory)' }]);
    expect(findSourceProblems(p, ['web'], () => true)).toEqual([]);
  });

  it('finds nothing when every source can be had, and ignores services not asked for', () => {
    expect(findSourceProblems(project(WEB, SOURCES), ['web'])).toEqual([]);
    const broken = project(WEB, { ...SOURCES, secrets: { ...SOURCES.secrets, api_key: { environment: 'API_KEY' } } });
    expect(findSourceProblems(broken, [])).toEqual([]);
    expect(findSourceProblems(broken, ['web'])).toHaveLength(1);
  });
});
