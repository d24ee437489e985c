// Specification of the values secrets and configs take from `environment:`: read from the
// interpolation environment (shell over .env) when the model is loaded, absent when unset, and
// never part of the printed model, which names only the variable.
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/model/load.js';

const STACK = [
  'services:',
  '  app: {image: busybox, secrets: [api_key, unset_key], configs: [conf]}',
  'secrets:',
  '  api_key: {environment: API_KEY}',
  '  unset_key: {environment: NOT_SET}',
  'configs:',
  '  conf: {environment: APP_CONF}',
  '',
].join('\n');

const load = (env: Record<string, string>) => loadProject({ files: ['-'], readStdin: () => STACK, cwd: '/nonexistent-gantry-dir', env, homeDir: '/home/user', projectName: 'demo' }).project;

describe('secrets and configs given by environment:', () => {
  it('carry the variable\'s value, and none when it is unset', () => {
    const project = load({ API_KEY: 's3cr3t', APP_CONF: 'listen 80' });
    expect(project.secrets.api_key).toMatchObject({ environment: 'API_KEY', environmentValue: 's3cr3t' });
    expect(project.configs.conf).toMatchObject({ environment: 'APP_CONF', environmentValue: 'listen 80' });
    expect(project.secrets.unset_key?.environment).toBe('NOT_SET');
    expect(project.secrets.unset_key).not.toHaveProperty('environmentValue');
  });

  it('keep the value out of the model that `config` prints', () => {
    expect(JSON.stringify(load({ API_KEY: 's3cr3t' }).model)).not.toContain('s3cr3t');
  });
});
