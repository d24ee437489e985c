// Renders `config --explain` for people: per service, the values with their origin, the
// interpolations with their variables, and the container environment with who won; then each
// top-level network, volume, secret and config the same way.
import { relative } from 'node:path';
import type { EnvironmentEntry, EnvironmentOrigin, InterpolationUse, ProjectExplanation, ResourceExplanation, ServiceExplanation, ValueOrigin, VariableSource, Via } from '../model/explain.js';
import type { Location } from '../model/source.js';

export interface ExplainViewOptions {
  /** Paths under it are shown relative to it. */
  readonly cwd: string;
}

export function renderExplainText(explanation: ProjectExplanation, options: ExplainViewOptions): string {
  const where = (location: Location | undefined): string => describeLocation(location, options.cwd);
  const lines: string[] = [`project ${explanation.project}`];
  for (const file of explanation.envFiles) {
    lines.push(`  note: ${where({ file, line: 0, column: 0 })} feeds \${…} interpolation in the compose file; containers get only environment: and env_file:`);
  }
  for (const service of explanation.services) lines.push('', ...renderService(service, where));
  for (const resource of explanation.resources) lines.push('', ...renderResource(resource, where));
  return `${lines.join('\n')}\n`;
}

type Where = (location: Location | undefined) => string;

function renderService(service: ServiceExplanation, where: Where): string[] {
  const lines = [`service ${service.name}`, ...renderValues(service, where)];
  if (service.environment.length > 0) {
    lines.push('  container environment (what the process in the container sees):');
    lines.push(...table(service.environment.map((e) => [`${e.name}=${e.value === null ? '(not set)' : JSON.stringify(e.value)}`, describeEnvironment(e, where)])));
  }
  return lines;
}

const SINGULAR: Readonly<Record<ResourceExplanation['section'], string>> = { networks: 'network', volumes: 'volume', secrets: 'secret', configs: 'config' };

function renderResource(resource: ResourceExplanation, where: Where): string[] {
  const definedAt = resource.definedAt.length === 0 ? '(added by Gantry, not in any file)'
    : resource.definedAt.map((d) => `${where(d.location)}${describeVia(d.via, where)}`).join(', ');
  return [`${SINGULAR[resource.section]} ${resource.name}`, `  defined at: ${definedAt}`, ...renderValues(resource, where)];
}

/** What services and top-level resources show alike: values with their origin, resets, interpolations. */
function renderValues(entry: Pick<ServiceExplanation, 'values' | 'resets' | 'interpolations'>, where: Where): string[] {
  const lines = ['  values:', ...table(entry.values.map((v) => [v.path, JSON.stringify(v.value), describeOrigin(v, where)]))];
  if (entry.resets.length > 0) {
    lines.push('  reset:');
    lines.push(...table(entry.resets.map((r) => [r.path, `${where(r.location)} (!reset)`])));
  }
  if (entry.interpolations.length > 0) {
    lines.push('  interpolation:');
    for (const use of entry.interpolations) lines.push(...renderInterpolation(use, where));
  }
  return lines;
}

function describeOrigin(value: ValueOrigin, where: Where): string {
  const tag = value.override ? ' !override' : '';
  return value.via.kind === 'default' ? '(default: added by Gantry, not in any file)' : `${where(value.location)}${describeVia(value.via, where)}${tag}`;
}

function describeVia(via: Via, where: Where): string {
  switch (via.kind) {
    case 'file': return '';
    case 'override': return ' (override file)';
    case 'extends': return ` (extends: inherited from service "${via.service}")`;
    case 'include': return ` (included by ${where({ file: via.from, line: 0, column: 0 })})`;
    case 'default': return '';
  }
}

function renderInterpolation(use: InterpolationUse, where: Where): string[] {
  const lines = [`    ${where(use.location)}  ${use.path}: ${JSON.stringify(use.template)} → ${JSON.stringify(use.value)}`];
  for (const variable of use.variables) {
    const value = variable.value === undefined ? '' : ` = ${JSON.stringify(variable.value)}`;
    lines.push(`        ${variable.name}${value}: ${describeVariable(variable.source, where)}`);
  }
  return lines;
}

function describeVariable(source: VariableSource, where: Where): string {
  switch (source.kind) {
    case 'shell': return 'from the shell environment';
    case 'env-file': return `from ${source.given ? '--env-file ' : ''}${where({ file: source.file, line: source.line, column: 0 })}`;
    case 'default': return 'not set: the default written in the file applies';
    case 'unset': return 'not set: replaced by an empty string';
  }
}

function describeEnvironment(origin: EnvironmentOrigin, where: Where): string {
  const winner = describeEntry(origin.winner, where);
  const fromVariable = origin.fromVariable === undefined ? ''
    : origin.fromVariable.kind === 'unset' ? `; no value given and no variable ${origin.name} is set, so the container does not get it`
    : `; no value given, so the variable's value is passed, ${describeVariable(origin.fromVariable, where)}`;
  const overridden = origin.overridden.length === 0 ? '' : `; wins over ${origin.overridden.map((e) => `${describeEntry(e, where)} (${JSON.stringify(e.value)})`).join(', ')}`;
  return `${winner}${fromVariable}${overridden}`;
}

function describeEntry(entry: EnvironmentEntry, where: Where): string {
  return `${entry.source} ${where(entry.location)}`;
}

function describeLocation(location: Location | undefined, cwd: string): string {
  if (location === undefined) return '(unknown)';
  const file = location.file === '-' || !location.file.startsWith(cwd) ? location.file : relative(cwd, location.file) || location.file;
  return location.line > 0 ? `${file}:${location.line}` : file;
}

/** Rows with their columns padded to line up; the last column is free. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.slice(0, -1).forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => `    ${row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ')}`.trimEnd());
}
