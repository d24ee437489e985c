#!/usr/bin/env node
// Generates a build context for benchmarks: COUNT small files (default 10,000) in 100 directories,
// half of them excluded by .dockerignore, with a compose.yaml and a Dockerfile that copies the rest.
// Usage: node scripts/gen-context.mjs DIR [COUNT]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, countArg = '10000'] = process.argv.slice(2);
if (dir === undefined) {
  process.stderr.write('usage: node scripts/gen-context.mjs DIR [COUNT]\n');
  process.exit(2);
}
const count = Number(countArg);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
for (let i = 0; i < count; i++) {
  const sub = join(dir, 'src', `d${String(i % 100).padStart(2, '0')}`);
  if (i < 100) mkdirSync(sub, { recursive: true });
  // Even files are kept, odd ones match `*.skip` and stay out of the context.
  const name = `file-${String(i).padStart(5, '0')}.${i % 2 === 0 ? 'txt' : 'skip'}`;
  writeFileSync(join(sub, name), `file ${i}\n${'x'.repeat(64 + (i % 64))}\n`);
}
writeFileSync(join(dir, '.dockerignore'), '# half of the files stay out\n**/*.skip\n');
writeFileSync(join(dir, 'Dockerfile'), 'FROM gantry-test/busybox:1\nCOPY . /ctx/\n');
writeFileSync(join(dir, 'compose.yaml'), 'services:\n  app:\n    build: .\n');
process.stdout.write(`${dir}: ${count} files, ${Math.ceil(count / 2)} sent\n`);
