// `config --explain`: for each service and each top-level network, volume, secret and config,
// every value with the file and line it came from (and through which override, extends or
// include), each interpolation with its variables' sources, and each container environment
// variable with where it came from and what it overrode.
// Only computed when asked: it replays the load's stages per entry (explain-layers.ts).
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq } from 'yaml';
import type { InterpolationEnv } from './environment.js';
import { parseEnvFile } from './dotenv.js';
import { collectLayers, locateRow, replayLayers, rowKey, rowsOf, type Layer, type LayerScope, type LayerVia, type ReplayResult, type Section } from './explain-layers.js';
import { formatPath, type FieldPath } from './field-path.js';
import type { LoadResult } from './load.js';
import type { Location, SourceFile } from './source.js';
import { substituteTemplate } from './template.js';
import { asList, asRecord } from './tree.js';
import { findNode } from './value-locator.js';

export type Via = LayerVia | { readonly kind: 'default' };

export interface ValueOrigin {
  /** Relative to the service: 'image', 'ports[0]', 'depends_on.db.condition'. */
  readonly path: string;
  readonly value: unknown;
  /** Absent for values no file wrote (the default network, a build's image name). */
  readonly location?: Location;
  readonly via: Via;
  readonly override: boolean;
}

export type VariableSource =
  | { readonly kind: 'shell' }
  | { readonly kind: 'env-file'; readonly file: string; readonly line: number; readonly given: boolean }
  | { readonly kind: 'default' }
  | { readonly kind: 'unset' };

export interface InterpolationUse {
  readonly path: string;
  readonly location: Location;
  readonly template: string;
  readonly value: string;
  readonly variables: readonly { readonly name: string; readonly value?: string; readonly source: VariableSource }[];
}

export interface EnvironmentEntry {
  readonly source: 'environment' | 'env_file';
  readonly location: Location;
  /** Null: `KEY` with no value in `environment` (taken from the variables). */
  readonly value: string | null;
}

export interface EnvironmentOrigin {
  readonly name: string;
  /** What the container gets; null: not set at all. */
  readonly value: string | null;
  readonly winner: EnvironmentEntry;
  /** For `KEY` without a value: where the value was found. */
  readonly fromVariable?: VariableSource;
  /** Other definitions of the variable that lost. */
  readonly overridden: readonly EnvironmentEntry[];
}

export interface ServiceExplanation {
  readonly name: string;
  readonly values: readonly ValueOrigin[];
  readonly resets: readonly { readonly path: string; readonly location: Location }[];
  readonly interpolations: readonly InterpolationUse[];
  readonly environment: readonly EnvironmentOrigin[];
}

export type ResourceSection = Exclude<Section, 'services'>;

/** A top-level network, volume, secret or config: its values, where it is defined, what !reset removed. */
export interface ResourceExplanation {
  readonly section: ResourceSection;
  readonly name: string;
  /** Each file that defines (or changes) it, in merge order; empty when Gantry added it (the default network). */
  readonly definedAt: readonly { readonly location: Location; readonly via: LayerVia }[];
  readonly values: readonly ValueOrigin[];
  readonly resets: readonly { readonly path: string; readonly location: Location }[];
  readonly interpolations: readonly InterpolationUse[];
}

export interface ProjectExplanation {
  readonly project: string;
  /** The env files interpolation read, so a reader sees they do not reach containers. */
  readonly envFiles: readonly string[];
  readonly services: readonly ServiceExplanation[];
  /** Networks, volumes, secrets, configs in that order; with `services` given, only those they use. */
  readonly resources: readonly ResourceExplanation[];
}

export interface ExplainOptions {
  readonly homeDir: string;
  /** Only these services. @default all */
  readonly services?: readonly string[];
  /** `--env-file` was given (so the env files are called that, not `.env`). */
  readonly envFilesGiven?: boolean;
}

export function explainProject(result: LoadResult, options: ExplainOptions): ProjectExplanation {
  const { project } = result;
  const env: InterpolationEnv = result.interpolation ?? { lookup: () => undefined, sourceOf: () => undefined };
  const sources = new Map<string, SourceFile>();
  for (const source of result.sources) if (!sources.has(source.path)) sources.set(source.path, source);
  const scope = { files: project.configFiles, workingDir: project.workingDir, homeDir: options.homeDir, env, sources };
  const reader = createEnvFileReader(options.envFilesGiven === true);
  const names = options.services?.length ? options.services : Object.keys(project.services);
  const services = names.map((name): ServiceExplanation => {
    const replay = replayLayers(collectLayers(scope, name), name);
    const model = asRecord(asRecord(project.model.services)[name]);
    return {
      name,
      values: explainValues(model, replay),
      resets: replay.resets.map((r) => ({ path: formatPath(r.path), location: r.location })),
      interpolations: explainInterpolations(replay.layers, reader),
      environment: explainEnvironment({ name, model, replay, env, reader, final: project.services[name]?.environment ?? {} }),
    };
  });
  const used = options.services?.length ? usedResources(asRecord(project.model.services), names) : undefined;
  const resources = RESOURCE_SECTIONS.flatMap((section) => Object.entries(asRecord(project.model[section]))
    .filter(([name]) => used === undefined || used.has(`${section}\u0000${name}`))
    .map(([name, model]) => explainResource({ scope, section, name, model: asRecord(model), reader })));
  return { project: project.name, envFiles: result.envFiles ?? [], services, resources };
}

const RESOURCE_SECTIONS: readonly ResourceSection[] = ['networks', 'volumes', 'secrets', 'configs'];

function explainResource(args: { scope: LayerScope; section: ResourceSection; name: string; model: Record<string, unknown>; reader: EnvFileReader }): ResourceExplanation {
  const { scope, section, name, model, reader } = args;
  const layers = collectLayers(scope, name, section);
  const replay = replayLayers(layers, name);
  const definedAt = layers.map((layer) => ({ location: locateRow(layer, []), via: layer.via }));
  return {
    section, name, definedAt,
    values: explainValues(model, replay),
    resets: replay.resets.map((r) => ({ path: formatPath(r.path), location: r.location })),
    interpolations: explainInterpolations(replay.layers, reader),
  };
}

/** `section\0name` of each network, volume, secret and config the named services refer to. */
function usedResources(services: Record<string, unknown>, names: readonly string[]): Set<string> {
  const used = new Set<string>();
  for (const name of names) {
    const service = asRecord(services[name]);
    for (const network of Object.keys(asRecord(service.networks))) used.add(`networks\u0000${network}`);
    for (const mount of asList(service.volumes)) {
      const { type, source } = asRecord(mount);
      if (type === 'volume' && typeof source === 'string') used.add(`volumes\u0000${source}`);
    }
    for (const section of ['secrets', 'configs'] as const) {
      for (const ref of asList(service[section])) {
        const { source } = asRecord(ref);
        if (typeof source === 'string') used.add(`${section}\u0000${source}`);
      }
    }
  }
  return used;
}

function explainValues(model: Record<string, unknown>, replay: ReplayResult): ValueOrigin[] {
  const { environment: _environment, ...rest } = model;
  return [...rowsOf(rest).values()].map((row) => {
    const origin = replay.origins.get(rowKey(row.path));
    if (origin === undefined) return { path: formatPath(row.path), value: row.value, via: { kind: 'default' }, override: false };
    return { path: formatPath(row.path), value: row.value, location: origin.location, via: origin.layer.via, override: origin.override };
  });
}

/** Each string in the layers' own YAML that holds a `$`, with the variables it read. */
function explainInterpolations(layers: readonly Layer[], reader: EnvFileReader): InterpolationUse[] {
  const uses: InterpolationUse[] = [];
  const seen = new Set<string>();
  for (const layer of layers) {
    const key = `${layer.source.path}\u0000${layer.section}\u0000${layer.entry}`;
    if (seen.has(key)) continue;
    seen.add(key);
    walkStrings(findNode(layer.source, [layer.section, layer.entry]), [], (text, path, offset) => {
      if (!text.includes('$')) return;
      const asked: string[] = [];
      const lookup = (name: string): string | undefined => {
        if (!asked.includes(name)) asked.push(name);
        return layer.env.lookup(name);
      };
      let result: { value: string; unset: string[] };
      try {
        result = substituteTemplate(text, lookup);
      } catch {
        return;
      }
      if (asked.length === 0) return;
      const variables = asked.map((name) => {
        const value = layer.env.lookup(name);
        const source = value !== undefined ? reader.sourceOf(name, layer.env) : result.unset.includes(name) ? { kind: 'unset' as const } : { kind: 'default' as const };
        return { name, ...(value === undefined ? {} : { value }), source };
      });
      const pos = layer.source.lineCounter.linePos(offset);
      uses.push({ path: formatPath(path), location: { file: layer.source.path, line: pos.line, column: pos.col }, template: text, value: result.value, variables });
    });
  }
  return uses;
}

function explainEnvironment(args: {
  name: string; model: Record<string, unknown>; replay: ReplayResult; env: InterpolationEnv; reader: EnvFileReader; final: Readonly<Record<string, string | null>>;
}): EnvironmentOrigin[] {
  const { model, replay, env, reader, final } = args;
  const fromFiles = new Map<string, EnvironmentEntry[]>();
  for (const entry of asList(model.env_file)) {
    const path = asRecord(entry).path;
    if (typeof path !== 'string') continue;
    for (const found of reader.entries(path, env.lookup)) fromFiles.set(found.name, [...(fromFiles.get(found.name) ?? []), found.entry]);
  }
  const declared = asRecord(replay.merged.environment);
  return Object.entries(final).map(([name, value]): EnvironmentOrigin => {
    const files = fromFiles.get(name) ?? [];
    if (!Object.hasOwn(declared, name)) {
      const winner = files[files.length - 1] ?? { source: 'env_file', location: { file: '-', line: 0, column: 0 }, value };
      return { name, value, winner, overridden: files.slice(0, -1).reverse() };
    }
    const raw = declared[name];
    const location = replay.origins.get(rowKey(['environment', name]))?.location ?? { file: '-', line: 0, column: 0 };
    const winner: EnvironmentEntry = { source: 'environment', location, value: raw === null || raw === undefined ? null : String(raw) };
    const fromVariable = winner.value !== null ? undefined : env.lookup(name) === undefined ? { kind: 'unset' as const } : reader.sourceOf(name, env);
    return { name, value, winner, ...(fromVariable === undefined ? {} : { fromVariable }), overridden: [...files].reverse() };
  });
}

interface EnvFileReader {
  /** Where a set variable came from: the shell, or an env file's line. */
  sourceOf(name: string, env: InterpolationEnv): VariableSource;
  /** A service env_file's variables with their lines; a missing file has none. */
  entries(path: string, lookup: (name: string) => string | undefined): { name: string; entry: EnvironmentEntry }[];
}

function createEnvFileReader(envFilesGiven: boolean): EnvFileReader {
  const texts = new Map<string, string | undefined>();
  const textOf = (path: string): string | undefined => {
    if (!texts.has(path)) {
      try {
        texts.set(path, readFileSync(path, 'utf8'));
      } catch {
        texts.set(path, undefined);
      }
    }
    return texts.get(path);
  };
  const lineOf = (text: string, name: string): number => {
    const pattern = new RegExp(`^\\s*(?:export\\s+)?${name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}\\s*(?:=|$)`);
    const lines = text.split(/\r?\n/);
    for (let i = lines.length - 1; i >= 0; i--) if (pattern.test(lines[i] ?? '')) return i + 1;
    return 0;
  };
  return {
    sourceOf(name, env) {
      const from = env.sourceOf(name);
      if (from === undefined || from === 'shell') return { kind: 'shell' };
      return { kind: 'env-file', file: from, line: lineOf(textOf(from) ?? '', name), given: envFilesGiven };
    },
    entries(path, lookup) {
      const text = textOf(path);
      if (text === undefined) return [];
      let parsed: Map<string, string>;
      try {
        parsed = parseEnvFile(text, path, lookup);
      } catch {
        return [];
      }
      return [...parsed].map(([name, value]) => ({ name, entry: { source: 'env_file', location: { file: path, line: lineOf(text, name), column: 1 }, value } }));
    },
  };
}

function walkStrings(node: unknown, path: (string | number)[], visit: (text: string, path: FieldPath, offset: number) => void): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string') visit(node.value, path, node.range?.[0] ?? 0);
  } else if (isMap(node)) {
    for (const pair of node.items) if (isScalar(pair.key)) walkStrings(pair.value, [...path, String(pair.key.value)], visit);
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => walkStrings(item, [...path, i], visit));
  }
}

