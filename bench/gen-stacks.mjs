// Generates the benchmark stacks as compose files that Gantry, Debian's docker-compose 1.29 (no
// top-level `name:`; the project comes from -p) and bench/raw.mjs all read the same way.
// Usage: node bench/gen-stacks.mjs [OUT_DIR]   (default bench/tmp/stacks)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const IMAGE = process.env.GANTRY_TEST_IMAGE ?? 'gantry-test/busybox:1';
const HERE = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT = join(HERE, 'tmp', 'stacks');

/**
 * @typedef {{ name: string, volume?: string, healthcheck?: boolean, dependsOn?: { service: string, condition: string }[] }} ServiceDef
 * @typedef {{ name: string, services: ServiceDef[], volumes: string[], runnable: boolean, description: string }} StackDef
 */

/** @returns {StackDef[]} */
export function defineStacks() {
  return [
    flat('flat10', 10),
    flat('flat30', 30),
    layered('layers30', false),
    layered('health30', true),
    model100(),
  ];
}

/** @param {string} name @param {number} count @returns {StackDef} */
function flat(name, count) {
  const services = range(count).map((i) => ({ name: `s${pad(i)}`, ...(i % 10 === 0 ? { volume: `vol${pad(i)}` } : {}) }));
  return { name, services, volumes: volumesOf(services), runnable: true, description: `${count} independent services, a named volume on every tenth` };
}

/** Three layers of ten; each service depends on every service of the layer before. */
function layered(/** @type {string} */ name, /** @type {boolean} */ healthy) {
  const condition = healthy ? 'service_healthy' : 'service_started';
  const services = range(30).map((i) => {
    const layer = Math.floor(i / 10);
    const previous = layer === 0 ? [] : range(10).map((j) => `s${pad((layer - 1) * 10 + j)}`);
    return {
      name: `s${pad(i)}`,
      ...(i % 10 === 0 ? { volume: `vol${pad(i)}` } : {}),
      ...(healthy ? { healthcheck: true } : {}),
      dependsOn: previous.map((service) => ({ service, condition })),
    };
  });
  const description = healthy ? 'layers30 with a 1 s healthcheck on each service and condition: service_healthy' : 'three layers of ten, each depending on all of the previous layer';
  return { name, services, volumes: volumesOf(services), runnable: true, description };
}

/** A 100-service file for the model alone (config -q): realistic variety, never started. */
function model100() {
  const services = range(100).map((i) => ({
    name: `svc${pad(i, 3)}`,
    ...(i % 10 === 0 ? { volume: `data${pad(i, 3)}` } : {}),
    ...(i % 3 === 0 ? { healthcheck: true } : {}),
    // Each depends on the service ten before it: on its health where it has a healthcheck.
    dependsOn: i < 10 ? [] : [{ service: `svc${pad(i - 10, 3)}`, condition: (i - 10) % 3 === 0 ? 'service_healthy' : 'service_started' }],
  }));
  return { name: 'model100', services, volumes: volumesOf(services), runnable: false, description: '100 services with environment, labels, healthchecks and dependencies (config only)' };
}

/** @param {StackDef} stack @returns {string} */
export function renderCompose(stack) {
  const lines = ['services:'];
  for (const s of stack.services) {
    lines.push(`  ${s.name}:`, `    image: ${IMAGE}`, '    command: ["sleep", "3600"]', '    init: true');
    if (!stack.runnable) {
      lines.push('    environment:', `      SERVICE_NAME: ${s.name}`, '      LOG_LEVEL: ${LOG_LEVEL:-info}', '      REPLICA: "1"');
      lines.push('    labels:', `      bench.role: ${s.name.endsWith('0') ? 'primary' : 'worker'}`, '    restart: unless-stopped', '    stop_grace_period: 5s');
    }
    if (s.volume) lines.push('    volumes:', `      - ${s.volume}:/data`);
    if (s.healthcheck) lines.push('    healthcheck:', '      test: ["CMD", "true"]', '      interval: 1s', '      timeout: 1s', '      retries: 3');
    if (s.dependsOn?.length) {
      lines.push('    depends_on:');
      for (const d of s.dependsOn) lines.push(`      ${d.service}:`, `        condition: ${d.condition}`);
    }
  }
  if (stack.volumes.length) {
    lines.push('volumes:');
    for (const v of stack.volumes) lines.push(`  ${v}: {}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes every stack to OUT/<stack>/compose.yaml and returns their paths by stack name. */
export function writeStacks(out = DEFAULT_OUT) {
  /** @type {Record<string, { file: string, json: string, stack: StackDef }>} */
  const written = {};
  for (const stack of defineStacks()) {
    const dir = join(out, stack.name);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'compose.yaml');
    writeFileSync(file, renderCompose(stack));
    // bench/raw.mjs reads this instead of the YAML: the lower bound does no parsing.
    const json = join(dir, 'stack.json');
    writeFileSync(json, `${JSON.stringify(stack)}\n`);
    written[stack.name] = { file, json, stack };
  }
  return written;
}

/** @param {ServiceDef[]} services */
function volumesOf(services) {
  return services.flatMap((s) => (s.volume ? [s.volume] : []));
}

/** @param {number} n */
function range(n) {
  return Array.from({ length: n }, (_, i) => i);
}

function pad(/** @type {number} */ n, width = 2) {
  return String(n).padStart(width, '0');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = writeStacks(process.argv[2] ? resolve(process.argv[2]) : DEFAULT_OUT);
  for (const [name, { file }] of Object.entries(written)) process.stdout.write(`${name}\t${file}\n`);
}
