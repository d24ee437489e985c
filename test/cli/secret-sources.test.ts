// Specification of what `gantry config` shows of secrets and configs read from variables: the
// variable's name, as compose prints it, never its value (from the shell or from .env); inline
// config content is part of the file and is shown. A value `up` cannot have is refused up front.
import { describe, expect, it, beforeAll } from 'vitest';
import { parse } from 'yaml';
import { assertBuilt, CLI_TIMEOUT, createTempDirs, runCli, runCliOk, writeFiles } from '../support/cli.js';

beforeAll(assertBuilt);
const tempDir = createTempDirs();

const STACK = `services:
  app:
    image: busybox
    secrets: [api_key, db_password]
    configs: [inline]
secrets:
  api_key:
    environment: API_KEY
  db_password:
    environment: DB_PASSWORD
configs:
  inline:
    content: "listen \${PORT:-80}"
`;

const FROM_SHELL = 'shell-s3cr3t-4711';
const FROM_DOTENV = 'dotenv-s3cr3t-0815';

describe('config with secrets read from variables', () => {
  it.each([['yaml'], ['json']])('names the variables and never prints their values (--format %s)', async (format) => {
    const dir = writeFiles(tempDir(), { 'compose.yaml': STACK, '.env': `DB_PASSWORD=${FROM_DOTENV}\n` });
    const { stdout, stderr } = await runCliOk(['config', '--format', format], { cwd: dir, env: { API_KEY: FROM_SHELL } });
    for (const value of [FROM_SHELL, FROM_DOTENV]) {
      expect(stdout).not.toContain(value);
      expect(stderr).not.toContain(value);
    }
    const model = (format === 'json' ? JSON.parse(stdout) : parse(stdout)) as { secrets: Record<string, unknown>; configs: Record<string, unknown> };
    expect(model.secrets.api_key).toMatchObject({ environment: 'API_KEY' });
    expect(model.secrets.db_password).toMatchObject({ environment: 'DB_PASSWORD' });
    expect(model.configs.inline).toMatchObject({ content: 'listen 80' });
  }, CLI_TIMEOUT);

  it('up refuses an unset variable by name, before it connects to the engine', async () => {
    const dir = writeFiles(tempDir(), { 'compose.yaml': STACK, '.env': `DB_PASSWORD=${FROM_DOTENV}\n` });
    // An engine that cannot answer: the refusal must come first.
    const { code, stderr } = await runCli(['up', '-d'], { cwd: dir, env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    expect(code).toBe(1);
    expect(stderr).toContain('error: secret "api_key" takes its value from the variable API_KEY, which is not set');
    expect(stderr).toContain('hint: set API_KEY in the environment or in the project\'s .env file');
    expect(stderr).not.toContain(FROM_DOTENV);
    expect(stderr).not.toContain('cannot reach');
  }, CLI_TIMEOUT);
});
