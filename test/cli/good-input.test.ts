// Specification of unusual but valid files: each must load, quietly, to the same model as the
// plain LF-only, ASCII-indented version of the same stack (the counterpart of bad-input).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, CLI_TIMEOUT, createTempDirs, runCliOk } from '../support/cli.js';

beforeAll(assertBuilt);
const tempDir = createTempDirs();

const PLAIN = `services:
  web:
    image: "nginx:1.27"
    command: ["echo", "café ☕"]
    environment:
      GREETING: "héllo"
    ports:
      - "8080:80"
`;

/** `config` output for the given bytes as compose.yaml, in a directory named `app`. */
async function configOf(bytes: Buffer | string): Promise<{ stdout: string; stderr: string }> {
  const dir = join(tempDir(), 'app');
  mkdirSync(dir);
  writeFileSync(join(dir, 'compose.yaml'), bytes);
  return runCliOk(['config'], { cwd: dir });
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const crlf = (text: string): string => text.replaceAll('\n', '\r\n');

describe.concurrent('valid files that look unusual', { timeout: CLI_TIMEOUT }, () => {
  it.each([
    ['CRLF line endings', Buffer.from(crlf(PLAIN))],
    ['a UTF-8 byte order mark', Buffer.concat([BOM, Buffer.from(PLAIN)])],
    ['a BOM and CRLF line endings together', Buffer.concat([BOM, Buffer.from(crlf(PLAIN))])],
    ['no newline at the end', Buffer.from(PLAIN.trimEnd())],
    ['comments and blank lines everywhere', Buffer.from(`# top\n\n${PLAIN.replace('  web:\n', '  web:   # the site\n\n')}# end\n`)],
    ['an explicit document start and end', Buffer.from(`---\n${PLAIN}...\n`)],
    ['the same stack written as JSON', Buffer.from(JSON.stringify({ services: { web: { image: 'nginx:1.27', command: ['echo', 'café ☕'], environment: { GREETING: 'héllo' }, ports: ['8080:80'] } } }))],
  ])('%s: loads to the same model as the plain file', async (_name, bytes) => {
    const [plain, unusual] = await Promise.all([configOf(PLAIN), configOf(bytes)]);
    expect(unusual.stderr).toBe('');
    expect(unusual.stdout).toBe(plain.stdout);
    expect(plain.stdout).toContain('café ☕');
  });

  it('anchors, aliases and a merge key: expanded in the services, the x- extension kept as it is', async () => {
    const [plain, unusual] = await Promise.all([configOf(PLAIN), configOf(`x-base: &base
  image: "nginx:1.27"
  command: ["echo", "café ☕"]
services:
  web:
    <<: *base
    environment:
      GREETING: "héllo"
    ports:
      - "8080:80"
`)]);
    expect(unusual.stderr).toBe('');
    const { 'x-base': extension, ...rest } = parse(unusual.stdout) as Record<string, unknown>;
    expect(rest).toEqual(parse(plain.stdout));
    expect(extension).toEqual({ image: 'nginx:1.27', command: ['echo', 'café ☕'] });
  });
});
