// The precompiled schema validator (schemas/compose-spec-validator.js) is generated from the
// vendored schema: it must be the generator's output for that schema, and report exactly what
// ajv compiling the schema at run time reports.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validate as precompiled } from '../../schemas/compose-spec-validator.js';

const root = new URL('../../', import.meta.url);
const schemaText = readFileSync(new URL('schemas/compose-spec.json', root), 'utf8');

describe('the precompiled schema validator', () => {
  it('is up to date with schemas/compose-spec.json (else: node scripts/gen-schema-validator.mjs)', async () => {
    const { generate } = (await import(new URL('scripts/gen-schema-validator.mjs', root).href)) as { generate: (text: string) => string };
    expect(readFileSync(new URL('schemas/compose-spec-validator.js', root), 'utf8') === generate(schemaText)).toBe(true);
  });

  it('reports the same errors as the schema compiled at run time', () => {
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    const schema = JSON.parse(schemaText) as Record<string, unknown>;
    delete schema.$schema;
    const compiled = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(schema);
    const trees = [
      'services: {web: {image: nginx, ports: ["80:80"], depends_on: {db: {condition: service_healthy}}}, db: {image: postgres}}',
      'services: {web: {image: nginx, comand: x, ports: [{target: "a"}], deploy: {replicas: "x"}}}',
      'services: {web: {image: 1, networks: [a, a], healthcheck: {test: 5}}}\nvolumes: {v: {driver: 3}}',
      'services: [web]',
    ].map((text) => parse(text) as unknown);
    for (const tree of trees) {
      expect(precompiled(tree)).toBe(compiled(tree));
      expect(precompiled.errors ?? null).toEqual(compiled.errors ?? null);
    }
  });
});
