// Hints read from the YAML text itself, where the merged model has lost the evidence: a key that
// normalisation drops (`version:`), how a scalar was written (plain or quoted), a `$` before
// interpolation replaced it.
import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { HintContext, Hint, HintCode } from './hints.js';
import { MAX_TREE_DEPTH } from './interpolate.js';
import type { SourceFile } from './source.js';
import { lineAt } from './source.js';

/** YAML 1.1 integers in base 60 ("sexagesimal"): 2222:22 is 133342 to PyYAML and docker-compose v1. */
const SEXAGESIMAL = /^[1-9][0-9_]*(:[0-5]?[0-9])+$/;
/** Where a `$NAME` is most likely meant for the container's shell, not for Compose. */
const SHELL_FIELDS: readonly (readonly string[])[] = [['command'], ['entrypoint'], ['healthcheck', 'test']];

export function findObsoleteVersion(ctx: HintContext): Hint[] {
  return uniqueSources(ctx.sources).filter((source) => hasOwnKey(source.tree, 'version')).flatMap((source) => {
    const root = source.doc.contents;
    const pair = isMap(root) ? root.items.find((p) => isScalar(p.key) && p.key.value === 'version') : undefined;
    if (pair === undefined || !isScalar(pair.key)) return [];
    return [hintAt(source, pair.key, ['version'], 'obsolete-version',
      'the top-level `version:` is obsolete: Compose ignores it and always uses the latest Compose Specification',
      'delete the `version:` line')];
  });
}

export function findBaseSixtyPorts(ctx: HintContext): Hint[] {
  const hints: Hint[] = [];
  const evidence = (text: string, path: readonly string[]): boolean => path[0] === 'ports' && SEXAGESIMAL.test(text);
  for (const source of uniqueSources(ctx.sources).filter((s) => someServiceString(s, evidence))) {
    forEachService(source, (name, service) => {
      const ports = service.get('ports', true);
      if (!isSeq(ports)) return;
      ports.items.forEach((item, i) => {
        if (!isScalar(item) || item.type !== 'PLAIN' || typeof item.value !== 'string' || !SEXAGESIMAL.test(item.value)) return;
        const text = item.value;
        const asNumber = text.replace(/_/g, '').split(':').reduce((total, part) => total * 60 + Number(part), 0);
        hints.push(hintAt(source, item, ['services', name, 'ports', i], 'base-60-port',
          `port ${text} is not quoted: YAML 1.1 tools (PyYAML, docker-compose v1) read it as the base-60 number ${asNumber}`,
          `quote it: "${text}"`));
      });
    });
  }
  return hints;
}

export function findBareDollars(ctx: HintContext): Hint[] {
  const hints: Hint[] = [];
  const evidence = (text: string): boolean => text.includes('$') && unbracedVariables(text).length > 0;
  for (const source of uniqueSources(ctx.sources).filter((s) => someServiceString(s, evidence))) {
    forEachService(source, (name, service) => {
      walkScalars(service, [], (node, path) => {
        if (typeof node.value !== 'string' || !node.value.includes('$')) return;
        const inShell = SHELL_FIELDS.some((field) => field.every((part, i) => path[i] === part));
        for (const variable of unbracedVariables(node.value)) {
          const value = ctx.lookup(variable);
          if (!inShell && value !== undefined) continue;
          const becomes = value === undefined ? 'an empty string (it is not set)' : 'its value on this machine';
          const fix = inShell
            ? `write $$${variable} so the container's shell expands it, or \${${variable}} to show the substitution is meant`
            : `write $$ for a literal dollar sign ($$${variable}), or \${${variable}:-default} if it is a variable`;
          hints.push(hintAt(source, node, ['services', name, ...path], 'bare-dollar',
            `"$${variable}" is replaced by Compose, before the container starts, with ${becomes}`, fix));
        }
      });
    });
  }
  return hints;
}

/** `$NAME` not written as `$$NAME` or `${NAME}`. */
export function unbracedVariables(text: string): string[] {
  const names: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$') continue;
    if (text[i + 1] === '$') {
      i++;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))?.[0];
    if (name !== undefined) names.push(name);
  }
  return names;
}

/**
 * Whether some string in a file's plain tree under `services` passes `test` (given its path below
 * the service, e.g. ['ports', '0']). The rules here read yaml's document, which a file read by the fast
 * path (yaml-fast-path.ts) only builds on demand: this cheap look at the tree spares that on
 * every `up` and `config` of a file with nothing to hint.
 */
function someServiceString(source: SourceFile, test: (text: string, path: readonly string[]) => boolean): boolean {
  const services = (source.tree as { services?: unknown } | null)?.services;
  const path: string[] = [];
  const visit = (value: unknown): boolean => {
    if (typeof value === 'string') return test(value, path);
    if (typeof value !== 'object' || value === null || path.length > MAX_TREE_DEPTH) return false;
    for (const [key, child] of Object.entries(value)) {
      path.push(key);
      const found = visit(child);
      path.pop();
      if (found) return true;
    }
    return false;
  };
  return typeof services === 'object' && services !== null && Object.values(services).some(visit);
}

function hasOwnKey(tree: unknown, key: string): boolean {
  return typeof tree === 'object' && tree !== null && Object.prototype.hasOwnProperty.call(tree, key);
}

function forEachService(source: SourceFile, visit: (name: string, service: YAMLMap) => void): void {
  const root = asMap(source.doc.contents);
  const services = asMap(root?.get('services', true));
  for (const pair of services?.items ?? []) {
    const service = asMap(pair.value);
    if (isScalar(pair.key) && service !== undefined) visit(String(pair.key.value), service);
  }
}

function walkScalars(node: unknown, path: (string | number)[], visit: (node: Scalar, path: (string | number)[]) => void): void {
  if (isScalar(node)) {
    visit(node, path);
  } else if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key)) walkScalars(pair.value, [...path, String(pair.key.value)], visit);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => walkScalars(item, [...path, i], visit));
  }
}

function asMap(node: unknown): YAMLMap | undefined {
  return isMap(node) ? node : undefined;
}

function hintAt(source: SourceFile, node: Node, path: (string | number)[], code: HintCode, message: string, fix: string): Hint {
  const pos = source.lineCounter.linePos(node.range?.[0] ?? 0);
  return { file: source.path, line: pos.line, column: pos.col, path, message, hint: fix, code, snippet: lineAt(source.text, pos.line) };
}

function uniqueSources(sources: readonly SourceFile[]): SourceFile[] {
  const seen = new Set<string>();
  return sources.filter((s) => !seen.has(s.path) && (seen.add(s.path), true));
}
