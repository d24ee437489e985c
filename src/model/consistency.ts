// Semantic checks the schema cannot express: references between services and resources,
// dependency cycles, duplicate names. Every problem is collected, each with its location.
import type { ConfigIssue } from '../errors.js';
import type { ModelLocator } from './origins.js';
import { nearest } from './suggest.js';
import { checkStaticAddresses } from './static-addresses.js';
import { asList, asRecord, type Tree } from './tree.js';


export interface ConsistencyResult {
  readonly issues: ConfigIssue[];
  /** The first dependency cycle found, as service names a → b → a. */
  readonly cycle?: string[];
}

export interface ConsistencyOptions {
  readonly locator: ModelLocator;
  /**
   * Services left out by profiles, with their profiles: a reference to one of them is not a
   * typo, and the message says which profile would bring it in.
   * @default none
   */
  readonly disabledServices?: ReadonlyMap<string, readonly string[]>;
}

export function checkConsistency(tree: Tree, options: ConsistencyOptions): ConsistencyResult {
  const { locator } = options;
  const issues: ConfigIssue[] = [];
  const services = asRecord(tree.services);
  const names: Services = { active: new Set(Object.keys(services)), disabled: options.disabledServices ?? new Map() };
  const declared = {
    networks: new Set(Object.keys(asRecord(tree.networks))),
    volumes: new Set(Object.keys(asRecord(tree.volumes))),
    secrets: new Set(Object.keys(asRecord(tree.secrets))),
    configs: new Set(Object.keys(asRecord(tree.configs))),
  };
  const containerNames = new Map<string, string>();
  for (const [name, raw] of Object.entries(services)) {
    const service = asRecord(raw);
    const at = (path: (string | number)[], message: string, hint?: string, key = false): void => {
      issues.push(locator.issue(['services', name, ...path], message, { key, ...(hint ? { hint } : {}) }));
    };
    if (service.image === undefined && service.build === undefined) {
      at([], `service "${name}" has neither an image nor a build context`, 'add `image: NAME` or `build: ./dir`', true);
    }
    checkDependencies(name, service, names, at);
    checkReferences(service, declared, at);
    checkNetworkMode(service, names, at);
    const containerName = service.container_name;
    if (typeof containerName === 'string') {
      const other = containerNames.get(containerName);
      if (other !== undefined) at(['container_name'], `container name "${containerName}" is already used by service "${other}"`, 'container names must be unique; remove one or rename it');
      else containerNames.set(containerName, name);
      const replicas = asRecord(service.deploy).replicas ?? service.scale;
      if (typeof replicas === 'number' && replicas > 1) at(['container_name'], `service "${name}" sets container_name but asks for ${replicas} replicas`, 'a fixed container name allows only one container; remove container_name or the scale');
    }
  }
  issues.push(...checkStaticAddresses(tree, locator));
  const cycle = findCycle(services);
  if (cycle) {
    const loop = cycle.join(' → ');
    for (let i = 0; i + 1 < cycle.length; i++) {
      const from = cycle[i] as string;
      const to = cycle[i + 1] as string;
      issues.push(locator.issue(['services', from, 'depends_on', to], `dependency cycle: ${loop}`, { hint: `remove one of the depends_on entries in the loop (here "${from}" depends on "${to}")` }));
    }
  }
  return cycle ? { issues, cycle } : { issues };
}

type At = (path: (string | number)[], message: string, hint?: string, key?: boolean) => void;

/** The services of this run, and those profiles left out (name → its profiles). */
interface Services {
  readonly active: ReadonlySet<string>;
  readonly disabled: ReadonlyMap<string, readonly string[]>;
}

function checkDependencies(name: string, service: Tree, names: Services, at: At): void {
  for (const [dep, raw] of Object.entries(asRecord(service.depends_on))) {
    if (names.active.has(dep)) continue;
    if (asRecord(raw).required === false) continue;
    const missing = describeMissing(dep, names, `service "${name}" depends on`);
    at(['depends_on', dep], missing.message, missing.hint, true);
  }
}

/**
 * Why a referenced service is absent: left out by its profiles (say which to enable), or not
 * defined at all (suggest the nearest name).
 */
function describeMissing(target: string, names: Services, subject: string): { message: string; hint: string } {
  const profiles = names.disabled.get(target);
  if (profiles === undefined) return { message: `${subject} undefined service "${target}"`, hint: suggest(target, names.active, 'service') };
  const list = `[${profiles.map((p) => JSON.stringify(p)).join(', ')}]`;
  const first = profiles[0] ?? '';
  const enable = profiles.length === 1 ? `enable the profile with --profile ${first}` : `enable one of its profiles, e.g. --profile ${first}`;
  return {
    message: `${subject} "${target}", which is disabled by its profiles ${list}`,
    hint: `${enable} (or COMPOSE_PROFILES=${first}), or name "${target}" on the command line`,
  };
}

function checkReferences(service: Tree, declared: Record<'networks' | 'volumes' | 'secrets' | 'configs', ReadonlySet<string>>, at: At): void {
  for (const network of Object.keys(asRecord(service.networks))) {
    if (!declared.networks.has(network)) at(['networks', network], `network "${network}" is not declared`, `declare it under the top-level networks: key${suggestIn(network, declared.networks)}`, true);
  }
  asList(service.volumes).forEach((raw, i) => {
    const mount = asRecord(raw);
    if (mount.type === 'volume' && typeof mount.source === 'string' && !declared.volumes.has(mount.source)) {
      at(['volumes', i], `volume "${mount.source}" is not declared`, `declare it under the top-level volumes: key, or use a path (./${mount.source}) for a bind mount${suggestIn(mount.source, declared.volumes)}`);
    }
  });
  for (const kind of ['secrets', 'configs'] as const) {
    asList(service[kind]).forEach((raw, i) => {
      const source = asRecord(raw).source;
      if (typeof source === 'string' && !declared[kind].has(source)) {
        at([kind, i], `${kind.slice(0, -1)} "${source}" is not declared`, `declare it under the top-level ${kind}: key${suggestIn(source, declared[kind])}`);
      }
    });
  }
}

function checkNetworkMode(service: Tree, names: Services, at: At): void {
  const mode = service.network_mode;
  if (typeof mode === 'string') {
    if (service.networks !== undefined) at(['network_mode'], 'network_mode and networks cannot be used together', 'keep one of them');
    const target = mode.startsWith('service:') ? mode.slice('service:'.length) : undefined;
    if (target !== undefined && !names.active.has(target)) {
      const missing = describeMissing(target, names, 'network_mode refers to');
      at(['network_mode'], missing.message, missing.hint);
    }
  }
  asList(service.volumes_from).forEach((raw, i) => {
    const ref = String(raw);
    if (ref.startsWith('container:')) return;
    const target = ref.split(':')[0] ?? ref;
    if (!names.active.has(target)) {
      const missing = describeMissing(target, names, 'volumes_from refers to');
      at(['volumes_from', i], missing.message, missing.hint);
    }
  });
}

/** Depth-first search for a depends_on cycle; returns it closed (a → b → a). */
function findCycle(services: Tree): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of Object.keys(asRecord(asRecord(services[name]).depends_on))) {
      if (!(dep in services)) continue;
      const found = visit(dep);
      if (found) return found;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(services)) {
    const found = visit(name);
    if (found) return found;
  }
  return undefined;
}

function suggest(name: string, candidates: ReadonlySet<string>, what: string): string {
  const near = nearest(name, candidates);
  return near ? `did you mean "${near}"?` : `defined ${what}s: ${[...candidates].sort().join(', ') || '(none)'}`;
}

function suggestIn(name: string, candidates: ReadonlySet<string>): string {
  const near = nearest(name, candidates);
  return near ? ` (did you mean "${near}"?)` : '';
}
