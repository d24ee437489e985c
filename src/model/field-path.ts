// A field path names a place in a compose tree: ['services','web','ports',0] ⇄ 'services.web.ports[0]'.

export type FieldPath = readonly (string | number)[];

/** Renders a path the way users read it: services.web.ports[0]. Keys with dots are quoted. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/**
 * Whether a path matches a pattern such as 'services.*.ports' or 'services.*.ports.*'.
 * '*' matches one segment (a key or an index); '**' matches any number of segments.
 */
export function matchesPath(path: FieldPath, pattern: string): boolean {
  const { parts, length } = compilePattern(pattern);
  if (length !== undefined && length !== path.length) return false;
  return matchFrom(path, 0, parts, 0);
}

/** Patterns come from a few fixed tables and are matched at every node, so each is split once. */
const compiled = new Map<string, { parts: readonly string[]; length: number | undefined }>();

function compilePattern(pattern: string): { parts: readonly string[]; length: number | undefined } {
  let hit = compiled.get(pattern);
  if (hit === undefined) {
    const parts = pattern.split('.');
    // Without '**' a pattern matches only paths of its own length: most rules fail on that alone.
    hit = { parts, length: parts.includes('**') ? undefined : parts.length };
    compiled.set(pattern, hit);
  }
  return hit;
}

function matchFrom(path: FieldPath, i: number, parts: readonly string[], j: number): boolean {
  if (j === parts.length) return i === path.length;
  const part = parts[j];
  if (part === '**') {
    for (let k = i; k <= path.length; k++) if (matchFrom(path, k, parts, j + 1)) return true;
    return false;
  }
  if (i === path.length) return false;
  if (part !== '*' && part !== String(path[i])) return false;
  return matchFrom(path, i + 1, parts, j + 1);
}

/** Converts a JSON pointer (ajv's instancePath, '/services/web/ports/0') into a FieldPath. */
export function fromJsonPointer(pointer: string): FieldPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^(0|[1-9][0-9]*)$/.test(part) ? Number(part) : part));
}
