// Profiles: which services take part in this run. Optional services (debug tools, test fixtures)
// stay in the file but out of the project until their profile, or the service itself, is asked for.
//
// What compose v2 does, and so what this does (compose-go `WithServicesEnabled` + `WithProfiles`):
// - a service without `profiles` is always active; one with profiles is active when one of them
//   is enabled; `*` enables every profile;
// - naming a service on the command line enables the service's profiles (so its siblings in those
//   profiles come along, as the spec's `coverage_lib` example shows);
// - dependencies are NOT enabled implicitly: a `depends_on` pointing at a service left inactive is
//   an error for the consistency check (unless `required: false`), as the spec's `debug_lib`
//   example says. Top-level networks, volumes, secrets and configs are never affected.
import { asList, asRecord, isRecord, setKey, type Tree } from './tree.js';

export interface ProfileOptions {
  /** `--profile` / COMPOSE_PROFILES; '*' enables all. */
  readonly profiles: readonly string[];
  /** Services named on the command line. Unknown names are ignored here (the CLI reports them). */
  readonly enabledServices: readonly string[];
}

/** Returns a new tree with only the active services, and the names of the others in file order. */
export function applyProfiles(tree: Record<string, unknown>, options: ProfileOptions): { tree: Record<string, unknown>; disabled: string[] } {
  const services = asRecord(tree.services);
  const enabled = new Set(options.profiles);
  for (const name of options.enabledServices) {
    if (Object.hasOwn(services, name)) for (const profile of profilesOf(services[name])) enabled.add(profile);
  }
  const active: Tree = {};
  const disabled: string[] = [];
  for (const [name, service] of Object.entries(services)) {
    if (isActive(profilesOf(service), enabled)) setKey(active, name, service);
    else disabled.push(name);
  }
  return { tree: isRecord(tree.services) ? { ...tree, services: active } : { ...tree }, disabled };
}

/** A service's `profiles`, as strings; none for a service always active. */
export function profilesOf(service: unknown): string[] {
  return isRecord(service) ? asList(service.profiles).map(String) : [];
}

function isActive(profiles: readonly string[], enabled: ReadonlySet<string>): boolean {
  return profiles.length === 0 || enabled.has('*') || profiles.some((p) => enabled.has(p));
}
