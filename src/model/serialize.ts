// The resolved model as `gantry config` prints it: top-level keys in compose's order, everything
// below sorted, so output is stable and diffable.

const TOP_LEVEL_ORDER = ['name', 'services', 'networks', 'volumes', 'secrets', 'configs'];

/** Key paths whose entries are ordered data, not mappings to sort (e.g. environment stays sorted too). */
export function orderModel(model: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(model).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  for (const key of keys) out[key] = sortDeep(model[key]);
  return out;
}

function rank(key: string): number {
  const i = TOP_LEVEL_ORDER.indexOf(key);
  return i < 0 ? TOP_LEVEL_ORDER.length : i;
}

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortDeep((value as Record<string, unknown>)[key]);
  return out;
}

/**
 * Every `$` doubled, in keys and values, as `docker compose config` writes them: the output is
 * already interpolated, so loading it again must not interpolate a second time.
 */
export function escapeDollars(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('$', '$$$$');
  if (Array.isArray(value)) return value.map(escapeDollars);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key.replaceAll('$', '$$$$'), escapeDollars(item)]));
}
