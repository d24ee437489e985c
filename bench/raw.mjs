// The raw lower bound: only the Docker API calls an orchestrator strictly needs, with unlimited
// concurrency, straight through dockerode. No schema, no model, no plan, no progress output.
// Usage: node bench/raw.mjs up|noop|ps|down STACK_JSON PROJECT
//        node bench/raw.mjs config COMPOSE_FILE      (read and parse the YAML: the model's floor)
//        node bench/raw.mjs version                  (node's own start-up: the CLI's floor)
// Imports are lazy so that `version` measures node alone.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const PROJECT_LABEL = 'com.docker.compose.project';
const T0 = performance.now();
/** RAW_TRACE=1 prints a timeline on stderr, to compare with Gantry's `--progress plain`. */
const trace = process.env.RAW_TRACE ? (/** @type {string} */ text) => process.stderr.write(`${(performance.now() - T0).toFixed(0).padStart(6)} ${text}\n`) : () => undefined;

/** @typedef {import('./gen-stacks.mjs').StackDef} StackDef */

/** @returns {Promise<import('dockerode')>} */
async function connect() {
  const { default: Docker } = await import('dockerode');
  const host = process.env.DOCKER_HOST;
  /** @type {Record<string, unknown>} */
  let options = { socketPath: '/var/run/docker.sock' };
  if (host?.startsWith('unix://')) options = { socketPath: host.slice('unix://'.length) };
  else if (host?.startsWith('tcp://')) {
    const url = new URL(host);
    options = { host: url.hostname, port: Number(url.port || 2375) };
  }
  return new Docker({ ...options, version: 'v1.41' });
}

/**
 * Network and volumes at once, then every container created and started as soon as what it
 * depends on allows: started, or healthy as reported by the event stream.
 * @param {import('dockerode')} docker @param {StackDef} stack @param {string} project
 */
export async function up(docker, stack, project) {
  const network = `${project}_default`;
  const labels = (/** @type {Record<string, string>} */ extra) => ({ [PROJECT_LABEL]: project, ...extra });
  const health = stack.services.some((s) => s.healthcheck) ? await watchHealth(docker, project) : undefined;
  try {
    trace('network and volumes');
    const ready = Promise.all([
      docker.createNetwork({ Name: network, CheckDuplicate: true, Labels: labels({ 'com.docker.compose.network': 'default' }) }),
      ...stack.volumes.map((v) => docker.createVolume({ Name: `${project}_${v}`, Labels: labels({ 'com.docker.compose.volume': v }) })),
    ]);
    /** @type {Map<string, { started: Promise<string>, healthy: Promise<void> }>} */
    const done = new Map();
    for (const service of stack.services) {
      const started = (async () => {
        await ready;
        await Promise.all((service.dependsOn ?? []).map((d) => {
          const dep = done.get(d.service);
          if (dep === undefined) throw new Error(`unknown dependency ${d.service}`);
          return d.condition === 'service_healthy' ? dep.healthy : dep.started;
        }));
        trace(`${service.name} creating`);
        const container = await docker.createContainer(containerBody(stack, service, project, network));
        if (health !== undefined && service.healthcheck) health.expect(container.id);
        trace(`${service.name} starting`);
        await container.start();
        trace(`${service.name} started`);
        return container.id;
      })();
      const healthy = service.healthcheck && health !== undefined ? started.then((id) => health.healthy(id)) : started.then(() => undefined);
      healthy.catch(() => undefined);
      done.set(service.name, { started, healthy });
    }
    await Promise.all([...done.values()].map((d) => d.started));
  } finally {
    health?.close();
  }
}

/** @param {StackDef} stack @param {import('./gen-stacks.mjs').ServiceDef} service @param {string} project @param {string} network */
function containerBody(stack, service, project, network) {
  return {
    name: `${project}-${service.name}-1`,
    Image: process.env.GANTRY_TEST_IMAGE ?? 'gantry-test/busybox:1',
    Cmd: ['sleep', '3600'],
    Labels: { [PROJECT_LABEL]: project, 'com.docker.compose.service': service.name, 'com.docker.compose.container-number': '1', 'com.docker.compose.oneoff': 'False' },
    ...(service.healthcheck ? { Healthcheck: { Test: ['CMD', 'true'], Interval: 1e9, Timeout: 1e9, Retries: 3 } } : {}),
    HostConfig: {
      Init: true,
      NetworkMode: network,
      ...(service.volume ? { Mounts: [{ Type: 'volume', Source: `${project}_${service.volume}`, Target: '/data' }] } : {}),
    },
    NetworkingConfig: { EndpointsConfig: { [network]: { Aliases: [service.name] } } },
  };
}

/**
 * One event stream for the whole project, opened before anything starts, so no health event is
 * missed: `healthy(id)` resolves on that container's first `health_status: healthy`.
 * @param {import('dockerode')} docker @param {string} project
 */
async function watchHealth(docker, project) {
  const filters = { type: ['container'], event: ['health_status'], label: [`${PROJECT_LABEL}=${project}`] };
  const stream = /** @type {import('node:stream').Readable} */ (await docker.getEvents({ filters }));
  /** @type {Map<string, { promise: Promise<void>, resolve: () => void, reject: (e: Error) => void }>} */
  const waiters = new Map();
  const waiter = (/** @type {string} */ id) => {
    let entry = waiters.get(id);
    if (entry === undefined) {
      /** @type {() => void} */ let res = () => undefined;
      /** @type {(e: Error) => void} */ let rej = () => undefined;
      const promise = new Promise((a, b) => { res = () => a(undefined); rej = b; });
      entry = { promise: /** @type {Promise<void>} */ (promise), resolve: res, reject: rej };
      waiters.set(id, entry);
    }
    return entry;
  };
  let buffer = '';
  stream.on('data', (chunk) => {
    buffer += chunk.toString();
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.trim() === '') continue;
      const event = JSON.parse(line);
      const status = String(event.status ?? event.Action ?? '');
      if (status === 'health_status: healthy') waiter(event.id).resolve();
      else if (status === 'health_status: unhealthy') waiter(event.id).reject(new Error(`container ${event.id} is unhealthy`));
    }
  });
  return {
    expect: (/** @type {string} */ id) => void waiter(id),
    healthy: (/** @type {string} */ id) => waiter(id).promise,
    close: () => stream.destroy(),
  };
}

/** What a no-op `up` must ask at least: one list call per resource type. */
export async function observe(/** @type {import('dockerode')} */ docker, /** @type {string} */ project) {
  const filters = { label: [`${PROJECT_LABEL}=${project}`] };
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return { containers, networks, volumes: volumes.Volumes ?? [] };
}

/** Forced removal of every container at once, then networks and volumes at once. */
export async function down(/** @type {import('dockerode')} */ docker, /** @type {string} */ project) {
  const { containers, networks, volumes } = await observe(docker, project);
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignore404)));
  await Promise.all([
    ...networks.map((n) => docker.getNetwork(n.Id).remove().catch(ignore404)),
    ...volumes.map((v) => docker.getVolume(v.Name).remove().catch(ignore404)),
  ]);
  return containers.length + networks.length + volumes.length;
}

/** @param {{ statusCode?: number }} error */
function ignore404(error) {
  if (error?.statusCode !== 404) throw error;
}

/** @param {string[]} argv */
async function main(argv) {
  const [command, target, project] = argv;
  if (command === 'version') return void process.stdout.write('raw\n');
  if (command === 'config') {
    const { parse } = await import('yaml');
    parse(readFileSync(String(target), 'utf8'));
    return;
  }
  if (target === undefined || project === undefined) throw new Error('usage: raw.mjs up|noop|ps|down STACK_JSON PROJECT');
  /** @type {StackDef} */
  const stack = JSON.parse(readFileSync(target, 'utf8'));
  const docker = await connect();
  if (command === 'up') return up(docker, stack, project);
  if (command === 'noop') return void (await observe(docker, project));
  if (command === 'ps') {
    const list = await docker.listContainers({ filters: { label: [`${PROJECT_LABEL}=${project}`] } });
    return void process.stdout.write(list.map((c) => `${c.Names[0]}\t${c.State}\n`).join(''));
  }
  if (command === 'down') return void (await down(docker, project));
  throw new Error(`unknown command ${command}`);
}

export { connect };

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`raw: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  });
}
