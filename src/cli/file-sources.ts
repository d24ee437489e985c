// Before `up` or `run` touches the engine: every secret and config the services mount can be had
// (a host file that exists, a variable that is set, a source that is not swarm-only), so a missing
// one creates nothing.
import { existsSync } from 'node:fs';
import { GantryError } from '../errors.js';
import type { Project } from '../model/types.js';
import { createDependencyGraph } from '../plan/graph.js';
import { findSourceProblems } from '../plan/injected-files.js';

/** `services` as named on the command line (none: all); their dependencies count unless `noDeps`. */
export function checkFileSources(project: Project, services: readonly string[], options: { readonly noDeps: boolean }): void {
  const named = services.length === 0 ? Object.keys(project.services) : services;
  const graph = options.noDeps ? undefined : createDependencyGraph(project);
  const all = new Set(named.flatMap((s) => [s, ...(graph?.dependenciesOf(s, { transitive: true }) ?? [])]));
  const problems = findSourceProblems(project, [...all], existsSync);
  const [first] = problems;
  if (first === undefined) return;
  if (problems.length === 1) throw new GantryError(first.message, { hint: first.hint });
  throw new GantryError(`${problems.length} secrets and configs cannot be mounted:\n${problems.map((p) => `  - ${p.message} (${p.hint})`).join('\n')}`);
}
