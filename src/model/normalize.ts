// Fills in what compose implies but files rarely say: the default network, engine-side names,
// the image of build-only services, and env_file contents folded into each service's environment.
import type { ConfigIssue } from '../errors.js';
import { readServiceEnvFiles } from './environment.js';
import type { ModelLocator } from './origins.js';
import { asRecord, isRecord, type Tree } from './tree.js';


export interface NormalizeContext {
  readonly projectName: string;
  readonly lookup: (name: string) => string | undefined;
  readonly locator: ModelLocator;
  /** Services named on the command line; a missing env_file only fails the services in use. */
  readonly selected?: ReadonlySet<string>;
}

/** Returns a new tree; the input is not changed. */
export function normalizeTree(input: Tree, ctx: NormalizeContext): { tree: Tree; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const services: Tree = {};
  let usesDefault = false;
  for (const [name, raw] of Object.entries(asRecord(input.services))) {
    const service = normalizeService(name, asRecord(raw), ctx, issues);
    if (service.network_mode === undefined && service.networks === undefined) service.networks = { default: {} };
    if (isRecord(service.networks) && 'default' in service.networks) usesDefault = true;
    services[name] = service;
  }
  const networks = { ...asRecord(input.networks) };
  if (usesDefault && networks.default === undefined) networks.default = {};
  const tree: Tree = { ...input, name: ctx.projectName, services };
  tree.networks = nameResources(networks, ctx.projectName);
  if (input.volumes !== undefined) tree.volumes = nameResources(asRecord(input.volumes), ctx.projectName);
  for (const kind of ['secrets', 'configs'] as const) {
    if (input[kind] !== undefined) tree[kind] = nameResources(asRecord(input[kind]), ctx.projectName);
  }
  if (Object.keys(tree.networks as Tree).length === 0) delete tree.networks;
  delete tree.version;
  return { tree, issues };
}

function normalizeService(name: string, input: Tree, ctx: NormalizeContext, issues: ConfigIssue[]): Tree {
  const service: Tree = { ...input };
  if (service.image === undefined && service.build !== undefined) service.image = `${ctx.projectName}-${name}`;
  const environment = resolveEnvironment(name, service, ctx, issues);
  if (environment !== undefined) service.environment = environment;
  if (service.scale !== undefined && isRecord(service.deploy) && service.deploy.replicas === undefined) {
    service.deploy = { ...service.deploy, replicas: service.scale };
  }
  return service;
}

/** env_file entries first (later files win), then `environment`; `KEY` alone takes the shell's value. */
function resolveEnvironment(name: string, service: Tree, ctx: NormalizeContext, issues: ConfigIssue[]): Tree | undefined {
  const entries = Array.isArray(service.env_file) ? service.env_file.filter(isRecord) : [];
  const fromFiles: Tree = {};
  if (entries.length > 0) {
    const refs = entries.map((e) => ({ path: String(e.path), required: e.required !== false }));
    const result = readServiceEnvFiles(refs, ctx.lookup);
    Object.assign(fromFiles, result.environment);
    const inUse = ctx.selected === undefined || ctx.selected.size === 0 || ctx.selected.has(name);
    for (const issue of inUse ? result.issues : []) {
      issues.push(issue.line > 0 ? issue : ctx.locator.issue(['services', name, 'env_file'], issue.message, issue.hint ? { hint: issue.hint } : {}));
    }
  }
  if (entries.length === 0 && service.environment === undefined) return undefined;
  const merged: Tree = { ...fromFiles, ...asRecord(service.environment) };
  for (const [key, value] of Object.entries(merged)) {
    if (value === null || value === undefined) {
      const fromShell = ctx.lookup(key);
      merged[key] = fromShell ?? null;
    }
  }
  return merged;
}

/** Gives every non-external resource its engine name `<project>_<key>` unless `name:` is set. */
function nameResources(resources: Tree, projectName: string): Tree {
  const out: Tree = {};
  for (const [key, raw] of Object.entries(resources)) {
    const resource = { ...asRecord(raw) };
    if (resource.name === undefined) resource.name = resource.external === true ? key : `${projectName}_${key}`;
    out[key] = resource;
  }
  return out;
}
