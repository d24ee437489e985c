// ajv's raw errors → the few messages a person needs: the most specific cause per field, types
// named as YAML users know them ("mapping", "list"), and a suggestion where a typo is likely.
import type { ErrorObject } from 'ajv';
import { formatPath, fromJsonPointer, matchesPath, type FieldPath } from './field-path.js';
import { nearest } from './suggest.js';

/** A schema problem before it is given a line and column. */
export interface SchemaProblem {
  readonly path: FieldPath;
  readonly message: string;
  readonly hint?: string;
  /** Point at the mapping key rather than at the value. */
  readonly key?: boolean;
  /** For an unknown key: the allowed key it was taken for. */
  readonly suggested?: string;
}

/** The parts of a JSON Schema node that the messages read. */
export interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly patternProperties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly oneOf?: readonly SchemaNode[];
  readonly anyOf?: readonly SchemaNode[];
  readonly $ref?: string;
  readonly definitions?: Readonly<Record<string, SchemaNode>>;
}

interface Found {
  readonly error: ErrorObject;
  readonly path: FieldPath;
}

/** Where the generic "a string or a list" would be vague, the words the spec's documentation uses. */
const PHRASES: readonly { readonly pattern: string; readonly expected: string; readonly hint?: string }[] = [
  { pattern: 'services', expected: 'a mapping of service names to service definitions' },
  { pattern: 'services.*.ports.*', expected: 'a port as a number or a string like "8080:80"', hint: 'quote short ports, as in - "8080:80"; the long syntax uses keys such as target and published' },
  { pattern: 'services.*.depends_on', expected: 'a list of service names or a mapping of service names to conditions' },
  { pattern: 'services.*.environment', expected: 'a mapping or a list of strings', hint: 'write KEY: value pairs, or a list of "KEY=value" strings' },
];

const COMMON_SERVICE_KEYS = ['build', 'command', 'depends_on', 'environment', 'healthcheck', 'image', 'networks', 'ports', 'volumes'];
const NAME_KINDS: Readonly<Record<string, string>> = { services: 'service', depends_on: 'service', networks: 'network', volumes: 'volume', secrets: 'secret', configs: 'config', models: 'model' };

/** Turns ajv errors (allErrors, verbose) into one problem per real cause. */
export function describeSchemaErrors(errors: readonly ErrorObject[], root: SchemaNode): SchemaProblem[] {
  const found = errors.map((error) => ({ error, path: fromJsonPointer(error.instancePath) }));
  const compositePaths = new Set(found.filter(isComposite).map((f) => f.error.instancePath));
  const leaves = found.filter((f) => !isComposite(f) && isRelevant(f, compositePaths));
  const problems = leaves.map((f) => describeLeaf(f, root));
  const covered = leaves.map((f) => f.path);
  // Deepest first, so a nested oneOf that failed on its own counts as a cause of the outer one.
  const composites = found.filter(isComposite).sort((a, b) => b.path.length - a.path.length);
  for (const composite of composites) {
    if (covered.some((path) => isAtOrBelow(path, composite.path))) continue;
    problems.push(describeMismatch(composite.path, schemaOf(composite), composite.error.data, root));
    covered.push(composite.path);
  }
  return dropExplainedRequired(problems);
}

function isComposite(found: Found): boolean {
  return found.error.keyword === 'oneOf' || found.error.keyword === 'anyOf';
}

/**
 * Inside a oneOf, every alternative reports why it failed. Only the alternatives that accept
 * the value's type tell the user something; the others are summarised by the oneOf itself.
 */
function isRelevant(found: Found, compositePaths: ReadonlySet<string>): boolean {
  const { error } = found;
  const atComposite = compositePaths.has(error.instancePath);
  if (error.keyword === 'type') return !atComposite;
  const types = typesOf(schemaOf(found));
  if (types && !types.some((t) => hasType(error.data, t))) return false;
  // A list entry written as `- 8080: 80` is a mistyped short form, not a long form with odd keys.
  if (error.keyword === 'additionalProperties' && atComposite && phraseFor(found.path) && !hasKnownKey(error.data, schemaOf(found))) return false;
  return true;
}

function describeLeaf(found: Found, root: SchemaNode): SchemaProblem {
  const { error, path } = found;
  const schema = schemaOf(found);
  switch (error.keyword) {
    case 'additionalProperties': return describeUnknownKey(path, String(error.params.additionalProperty), schema, error.data, root);
    case 'required': return describeMissingKey(path, String(error.params.missingProperty), schema);
    case 'type': return describeMismatch(path, schema, error.data, root);
    case 'enum': return describeEnum(path, schema.enum ?? [], error.data);
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return { path, message: `must be ${String(error.params.comparison).startsWith('>') ? 'at least' : 'at most'} ${String(error.params.limit)} (got ${show(error.data)})` };
    case 'uniqueItems': return describeDuplicate(path, error);
    case 'pattern': return { path, message: `${show(error.data)} is not valid here: it must match /${String(error.params.pattern)}/` };
    default: return { path, message: error.message ?? 'is not valid' };
  }
}

function describeUnknownKey(path: FieldPath, key: string, schema: SchemaNode, data: unknown, root: SchemaNode): SchemaProblem {
  const allowed = Object.keys(schema.properties ?? {});
  const patterns = Object.keys(schema.patternProperties ?? {});
  const at = [...path, key];
  const namePattern = patterns.find((p) => p !== '^x-');
  if (allowed.length === 0 && namePattern !== undefined) return describeBadName(path, key, namePattern);
  const extensions = patterns.includes('^x-');
  if (key.startsWith('x-') && !extensions) {
    return { path: at, key: true, message: `unknown key "${key}"`, hint: 'extension keys (x-…) are not allowed here; put them at the top level or directly in a service' };
  }
  const serviceKeys = Object.keys(root.definitions?.service?.properties ?? {});
  const inService = matchesPath(path, 'services.*');
  const suggested = inService || !serviceKeys.includes(key) ? nearest(key, allowed) : undefined;
  const problem = { path: at, key: true, message: `unknown key "${key}"` };
  if (suggested !== undefined) return { ...problem, hint: `did you mean "${suggested}"?`, suggested };
  if (!inService && serviceKeys.includes(key)) {
    return { ...problem, hint: path.length === 0 ? `"${key}" is a service key; put it under services.<name>` : `"${key}" belongs directly under a service; check its indentation` };
  }
  const value = isMapping(data) ? data[key] : undefined;
  if (path.length === 0 && isMapping(value) && ('image' in value || 'build' in value)) {
    return { ...problem, hint: 'this looks like a service; put it under "services:"' };
  }
  const few = inService ? COMMON_SERVICE_KEYS : [...allowed].sort();
  const listed = few.length > 10 ? `${few.slice(0, 8).join(', ')}, …` : few.join(', ');
  return { ...problem, hint: `known keys${inService ? ' include' : ''}: ${listed}${extensions ? '; custom keys must start with "x-"' : ''}` };
}

function describeBadName(path: FieldPath, key: string, pattern: string): SchemaProblem {
  const last = path[path.length - 1];
  const kind = (typeof last === 'string' ? NAME_KINDS[last] : undefined) ?? 'key';
  const label = kind === 'key' ? 'key' : `${kind} name`;
  const rule = pattern === '^[a-zA-Z0-9._-]+$' ? `${kind === 'key' ? 'keys' : `${kind} names`} may contain only letters, digits, ".", "_" and "-"` : `it must match /${pattern}/`;
  return { path: [...path, key], key: true, message: `invalid ${label} ${JSON.stringify(key)}`, hint: key === '' ? `a ${label} cannot be empty` : rule };
}

function describeMissingKey(path: FieldPath, key: string, schema: SchemaNode): SchemaProblem {
  const values = schema.properties?.[key]?.enum;
  return { path, key: true, message: `missing required key "${key}"`, ...(values ? { hint: `add ${key}: one of ${values.map(String).join(', ')}` } : {}) };
}

/** "expected X, got Y" for a plain type error and for a oneOf no alternative of which fits. */
function describeMismatch(path: FieldPath, schema: SchemaNode, data: unknown, root: SchemaNode): SchemaProblem {
  const phrase = phraseFor(path);
  const forms = formsOf(schema, root);
  const expected = phrase?.expected ?? joinOr(forms);
  const got = typeof data === 'number' && forms.includes('an integer') && !forms.includes('a number') ? String(data) : describeValue(data);
  const hint = phrase?.hint ?? mismatchHint(forms, data);
  return { path, key: isMapping(data) || Array.isArray(data) || data === null, message: `expected ${expected}, got ${got}`, ...(hint ? { hint } : {}) };
}

function mismatchHint(forms: readonly string[], data: unknown): string | undefined {
  if (data === null) return 'the key has no value; give it one or remove the key';
  const scalar = typeof data === 'number' || typeof data === 'boolean';
  // Only when a string is the one scalar allowed: `init: 5` more likely meant a boolean.
  const stringOnly = forms.includes('a string') && !forms.some((f) => ['a boolean', 'a number', 'an integer'].includes(f));
  if (scalar && stringOnly) return `quote it to make it a string: "${String(data)}"`;
  if (!forms.every((f) => f.startsWith('a list'))) return undefined;
  if (scalar || typeof data === 'string') return `make it a list: [${JSON.stringify(data)}]`;
  return isMapping(data) ? 'write each entry on its own line, starting with "- "' : undefined;
}

function describeEnum(path: FieldPath, values: readonly unknown[], data: unknown): SchemaProblem {
  const names = values.map(String);
  const suggested = typeof data === 'string' ? nearest(data, names) : undefined;
  return { path, message: `must be one of: ${names.join(', ')} (got ${show(data)})`, ...(suggested ? { hint: `did you mean "${suggested}"?` } : {}) };
}

function describeDuplicate(path: FieldPath, error: ErrorObject): SchemaProblem {
  const i = Number(error.params.i);
  const j = Number(error.params.j);
  const [first, second] = i < j ? [i, j] : [j, i];
  const item = Array.isArray(error.data) ? error.data[second] : undefined;
  return { path: [...path, second], message: `duplicate entry ${show(item)} (already listed at [${first}])`, hint: 'remove one of them' };
}

/** When an unknown key is really a misspelt required key, the "missing" message only repeats it. */
function dropExplainedRequired(problems: readonly SchemaProblem[]): SchemaProblem[] {
  const explained = new Set(problems.filter((p) => p.suggested !== undefined).map((p) => `${formatPath(p.path.slice(0, -1))}\0${p.suggested ?? ''}`));
  return problems.filter((p) => {
    const missing = /^missing required key "(.*)"$/.exec(p.message)?.[1];
    return missing === undefined || !explained.has(`${formatPath(p.path)}\0${missing}`);
  });
}

/** The forms a schema accepts, named for people: "a string", "a list of strings", "a mapping". */
function formsOf(schema: SchemaNode, root: SchemaNode): string[] {
  const node = resolve(schema, root);
  const alternatives = node.oneOf ?? node.anyOf;
  const forms = alternatives ? alternatives.flatMap((alt) => formsOf(alt, root)) : (typesOf(node) ?? []).map((t) => nameForm(t, node, root));
  const unique = [...new Set(forms)];
  const withoutNull = unique.filter((f) => f !== 'null');
  return withoutNull.length > 0 ? withoutNull : unique;
}

function nameForm(type: string, node: SchemaNode, root: SchemaNode): string {
  if (type === 'string' && node.enum) return node.enum.map((v) => JSON.stringify(v)).join(' or ');
  if (type !== 'array') return article(type);
  const items = node.items ? typesOf(resolve(node.items, root)) : undefined;
  return items?.length === 1 && items[0] !== 'array' ? `a list of ${items[0] === 'object' ? 'mappings' : `${items[0]}s`}` : 'a list';
}

function article(type: string): string {
  switch (type) {
    case 'object': return 'a mapping';
    case 'array': return 'a list';
    case 'integer': return 'an integer';
    case 'null': return 'null';
    default: return `a ${type}`;
  }
}

/** The value as its YAML kind: "a mapping", "a list", "a string", "a number", "a boolean", "null". */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : isMapping(value) || Array.isArray(value) ? describeValue(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function joinOr(forms: readonly string[]): string {
  if (forms.length <= 1) return forms[0] ?? 'something else';
  return `${forms.slice(0, -1).join(', ')} or ${forms[forms.length - 1] ?? ''}`;
}

function phraseFor(path: FieldPath): (typeof PHRASES)[number] | undefined {
  return PHRASES.find((p) => matchesPath(path, p.pattern));
}

function hasKnownKey(data: unknown, schema: SchemaNode): boolean {
  return isMapping(data) && Object.keys(data).some((k) => k in (schema.properties ?? {}));
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object': return isMapping(value);
    case 'array': return Array.isArray(value);
    case 'null': return value === null;
    case 'integer': return Number.isInteger(value);
    default: return typeof value === type;
  }
}

function typesOf(schema: SchemaNode): readonly string[] | undefined {
  return typeof schema.type === 'string' ? [schema.type] : schema.type;
}

function resolve(schema: SchemaNode, root: SchemaNode): SchemaNode {
  const name = schema.$ref?.replace(/^#\/definitions\//, '');
  return name === undefined ? schema : (root.definitions?.[name] ?? schema);
}

/** ajv's verbose parentSchema is the vendored JSON itself, whose shape SchemaNode describes. */
function schemaOf(found: Found): SchemaNode {
  return (found.error.parentSchema ?? {}) as SchemaNode;
}

function isAtOrBelow(path: FieldPath, ancestor: FieldPath): boolean {
  return path.length >= ancestor.length && ancestor.every((part, i) => String(path[i]) === String(part));
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
