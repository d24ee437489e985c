// Checks one file's tree against the Compose Specification schema and gives every problem a line
// and column in that file (the reference loader reports a path only, and only the first problem).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
// Generated from the schema by scripts/gen-schema-validator.mjs (ajv standalone code).
import { SCHEMA_CHECKSUM, validate as precompiledValidate } from '../../schemas/compose-spec-validator.js';
import type { ConfigIssue } from '../errors.js';
import { formatPath } from './field-path.js';
import { describeSchemaErrors, describeValue, type SchemaNode } from './schema-errors.js';
import { issueAt, type SourceFile } from './source.js';

/** Resolves from src/model (vitest) and from dist/model (the built CLI) alike. */
const SCHEMA_URL = new URL('../../schemas/compose-spec.json', import.meta.url);

interface CompiledSchema {
  readonly validate: ValidateFunction;
  /** The schema itself, parsed when a message needs it. */
  readonly root: () => SchemaNode;
}

let compiled: CompiledSchema | undefined;

/**
 * `true` in the bundle: scripts/bundle.mjs refuses to build one whose validator does not match
 * the schema beside it, so a bundled run skips reading the schema until a message needs it.
 */
declare const __gantrySchemaVerified: boolean | undefined;
const verifiedAtBuild = typeof __gantrySchemaVerified === 'boolean' && __gantrySchemaVerified;

/**
 * Validates a parsed (and interpolated) compose tree. Returns every problem, most specific cause
 * only, sorted by position; an empty list means the tree matches the schema.
 */
export function validateTree(source: SourceFile, tree: unknown): ConfigIssue[] {
  if (!isMapping(tree)) {
    return [issueAt(source, [], 'the compose file must be a mapping of top-level keys (services, networks, volumes, …)', {
      hint: `its top level is ${describeValue(tree)}; a compose file starts with a key such as "services:"`,
    })];
  }
  const { validate, root } = compiledSchema();
  if (validate(tree)) return [];
  const problems = describeSchemaErrors(validate.errors ?? [], root());
  const seen = new Set<string>();
  const issues: ConfigIssue[] = [];
  for (const problem of problems) {
    const id = `${formatPath(problem.path)}\0${problem.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    issues.push(issueAt(source, problem.path, problem.message, { key: problem.key ?? false, ...(problem.hint ? { hint: problem.hint } : {}) }));
  }
  return issues.sort(compareIssues);
}

/**
 * Loaded once, on first use. The validator is precompiled: compiling the schema with ajv costs
 * ~350 ms of CPU on every run (most of `config -q`), validating a file well under one. A schema
 * edited since the validator was generated is compiled here instead: slower, never stale.
 */
function compiledSchema(): CompiledSchema {
  if (compiled) return compiled;
  let schema: Record<string, unknown> | undefined;
  const parsed = (): Record<string, unknown> => {
    if (schema) return schema;
    schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Record<string, unknown>;
    // The vendored file says "$schema": ".../draft-07/schema" without the '#' under which ajv
    // registers draft-07, so ajv would fail to find its meta-schema; it is draft-07 either way.
    delete schema.$schema;
    return schema;
  };
  const fresh = verifiedAtBuild || schemaChecksum(readFileSync(SCHEMA_URL, 'utf8')) === SCHEMA_CHECKSUM;
  compiled = { validate: fresh ? precompiledValidate : compileSchema(parsed()), root: () => parsed() as SchemaNode };
  return compiled;
}

/**
 * Length and FNV-1a (32 bits) of the schema's text, as scripts/gen-schema-validator.mjs records
 * it: enough to notice an edited schema, and it spares every command loading node:crypto.
 */
function schemaChecksum(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return `${text.length}:${(hash >>> 0).toString(16)}`;
}

/** Options as in scripts/gen-schema-validator.mjs; ajv is loaded only on this slow path. */
function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  // verbose: the messages need each error's value and the schema node that rejected it.
  return new Ajv({ allErrors: true, strict: false, verbose: true }).compile(schema);
}

function compareIssues(a: ConfigIssue, b: ConfigIssue): number {
  return a.line - b.line || a.column - b.column || compareText(formatPath(a.path), formatPath(b.path)) || compareText(a.message, b.message);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
