// An honest in-memory Engine for planner and executor tests: it keeps containers, networks,
// volumes and images with labels and states, answers as DockerEngine does (404s, 409s, removes
// that ignore 404, 20.10's best-effort duplicate check), and records every call with timestamps.
import { EngineError } from '../../src/errors.js';
import type {
  BuildOptions, BuildProgress, CallOptions, ContainerDetails, ContainerEvent, ContainerSpec, ContainerSummary, ExecSpec, HealthStatus, ImageDetails, ImageHistory, LabelFilter, Labels, LogOptions,
  NetworkSpec, NetworkSummary, ProcessTable, PullProgress, SessionStreams, VolumeSpec, VolumeSummary,
} from '../../src/engine/engine.js';
import { normalizeRef, readSpecBody, toDetails, toSummary, type FailRule, type FakeCall, type FakeContainer, type FakeEngine, type FakeEngineOptions } from './fake-engine-shapes.js';

export type { FailRule, FakeCall, FakeContainer, FakeEngine, FakeEngineOptions } from './fake-engine-shapes.js';

export function createFakeEngine(options: FakeEngineOptions = {}): FakeEngine {
  return new InMemoryEngine(options);
}

type Watcher = { readonly filter: LabelFilter; readonly onEvent: (e: ContainerEvent) => void };
type FakeLogEntry = { readonly stream: 'stdout' | 'stderr'; readonly line: string; readonly ms: number };

class InMemoryEngine implements FakeEngine {
  readonly endpoint = 'fake://engine';
  readonly calls: FakeCall[] = [];
  readonly containers = new Map<string, FakeContainer>();
  readonly volumes = new Map<string, VolumeSummary>();
  readonly images: Set<string>;
  readonly #networks: NetworkSummary[] = [];
  readonly #watchers = new Set<Watcher>();
  readonly #logs = new Map<string, FakeLogEntry[]>();
  readonly #logListeners = new Map<string, Set<(e: FakeLogEntry) => void>>();
  readonly #rules: FailRule[];
  /** Names of containers being created: the engine reserves a name as the call arrives. */
  readonly #reserved = new Set<string>();
  readonly #archives = new Map<string, { path: string; archive: Buffer }[]>();
  #seq = 0;
  #lastStamp = 0;
  #ids = 0;
  #inFlight = 0;
  #maxConcurrent = 0;

  constructor(private readonly options: FakeEngineOptions) {
    this.images = new Set((options.images ?? []).map(normalizeRef));
    this.#rules = [...(options.failOn ?? [])];
  }

  get maxConcurrent(): number { return this.#maxConcurrent; }
  get networks(): readonly NetworkSummary[] { return this.#networks; }

  container(ref: string): FakeContainer | undefined {
    return this.containers.get(ref) ?? [...this.containers.values()].find((c) => c.name === ref);
  }
  setHealth(ref: string, health: HealthStatus, output?: string): void {
    this.#setHealth(this.#mustFind('setHealth', ref), health, output);
  }
  exitContainer(ref: string, exitCode: number): void {
    this.#exit(this.#mustFind('exitContainer', ref), exitCode);
  }
  failOn(rule: FailRule): void {
    this.#rules.push(rule);
  }
  resetCalls(): void {
    this.calls.length = 0;
    this.#maxConcurrent = this.#inFlight;
  }

  ping(o?: CallOptions): Promise<void> {
    return this.#call('ping', 'the engine', o, () => undefined);
  }
  listContainers(filter: LabelFilter, o?: CallOptions & { all?: boolean }): Promise<ContainerSummary[]> {
    return this.#call('listContainers', 'containers', o, () =>
      [...this.containers.values()].filter((c) => matches(c.labels, filter) && (o?.all === true || c.state === 'running')).map(toSummary));
  }
  inspectContainer(ref: string, o?: CallOptions): Promise<ContainerDetails> {
    return this.#call('inspectContainer', ref, o, () => toDetails(this.#mustFind('inspectContainer', ref)));
  }
  async createContainer(spec: ContainerSpec, o?: CallOptions): Promise<string> {
    let mine = false;
    const reserve = (): void => {
      if (this.container(spec.name) !== undefined || this.#reserved.has(spec.name)) throw conflict(spec.name);
      this.#reserved.add(spec.name);
      mine = true;
    };
    try {
      return await this.#call('createContainer', spec.name, o, () => this.#createContainer(spec), reserve);
    } finally {
      if (mine) this.#reserved.delete(spec.name);
    }
  }
  copiedArchives(ref: string): readonly { readonly path: string; readonly archive: Buffer }[] {
    const c = this.container(ref);
    return c === undefined ? [] : (this.#archives.get(c.id) ?? []);
  }
  async copyToContainer(ref: string, path: string, archive: NodeJS.ReadableStream, o?: CallOptions): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of archive) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    return this.#call('copyToContainer', ref, o, () => {
      const c = this.#mustFind('copyToContainer', ref);
      const list = this.#archives.get(c.id) ?? [];
      list.push({ path, archive: Buffer.concat(chunks) });
      this.#archives.set(c.id, list);
    });
  }
  startContainer(ref: string, o?: CallOptions): Promise<void> {
    return this.#call('startContainer', ref, o, () => {
      const c = this.#mustFind('startContainer', ref);
      if (c.state === 'running') return; // 304, which the real engine treats as success
      const missing = c.networks.find((name) => !this.#networks.some((n) => n.name === name));
      if (missing !== undefined) throw engineError('startContainer', ref, 404, `network ${missing} not found`);
      Object.assign(c, { state: 'running', startedAt: this.#stamp(), health: c.healthcheck ? 'starting' : 'none' });
      this.#emit(c, 'start');
      this.#scheduleAfterStart(c);
    });
  }
  stopContainer(ref: string, o?: CallOptions & { timeoutSeconds?: number }): Promise<void> {
    return this.#call('stopContainer', ref, o, () => {
      const c = this.container(ref);
      if (c === undefined || c.state !== 'running') return; // 404 and 304 are both success
      this.#exit(c, 0);
      this.#emit(c, 'stop');
    });
  }
  removeContainer(ref: string, o?: CallOptions & { force?: boolean; volumes?: boolean }): Promise<void> {
    return this.#call('removeContainer', ref, o, () => {
      const c = this.container(ref);
      if (c === undefined) return;
      if (c.state === 'running' && o?.force !== true) {
        throw engineError('removeContainer', ref, 409, 'You cannot remove a running container. Stop the container before attempting removal or force remove');
      }
      this.#exit(c, 137);
      this.containers.delete(c.id);
      this.#emit(c, 'destroy');
    });
  }

  restartContainer(ref: string, o?: CallOptions & { timeoutSeconds?: number }): Promise<void> {
    return this.#call('restartContainer', ref, o, () => {
      const c = this.#mustFind('restartContainer', ref);
      this.#exit(c, 0);
      Object.assign(c, { state: 'running', startedAt: this.#stamp(), health: c.healthcheck ? 'starting' : 'none' });
      this.#emit(c, 'restart');
      this.#scheduleAfterStart(c);
    });
  }
  killContainer(ref: string, o?: CallOptions & { signalName?: string }): Promise<void> {
    return this.#call('killContainer', ref, o, () => {
      const c = this.#mustFind('killContainer', ref);
      if (c.state !== 'running') throw engineError('killContainer', ref, 409, `Container ${c.id} is not running`);
      this.#emit(c, 'kill');
      this.#exit(c, 137);
    });
  }
  pauseContainer(ref: string, o?: CallOptions): Promise<void> {
    return this.#call('pauseContainer', ref, o, () => {
      const c = this.#mustFind('pauseContainer', ref);
      if (c.state !== 'running') throw engineError('pauseContainer', ref, 409, `Container ${c.id} is not running`);
      c.state = 'paused';
      this.#emit(c, 'pause');
    });
  }
  unpauseContainer(ref: string, o?: CallOptions): Promise<void> {
    return this.#call('unpauseContainer', ref, o, () => {
      const c = this.#mustFind('unpauseContainer', ref);
      if (c.state !== 'paused') throw engineError('unpauseContainer', ref, 409, `Container ${c.id} is not paused`);
      c.state = 'running';
      this.#emit(c, 'unpause');
    });
  }
  listProcesses(ref: string, o?: CallOptions): Promise<ProcessTable> {
    return this.#call('listProcesses', ref, o, () => {
      const c = this.#mustFind('listProcesses', ref);
      if (c.state !== 'running' && c.state !== 'paused') throw engineError('listProcesses', ref, 409, `Container ${c.id} is not running`);
      return { titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'], processes: [['root', '1', '0', '0', '00:00', '?', '00:00:00', c.command.join(' ')]] };
    });
  }
  inspectImage(ref: string, o?: CallOptions): Promise<ImageDetails | undefined> {
    return this.#call('inspectImage', ref, o, () =>
      this.images.has(normalizeRef(ref)) ? { id: `sha256:${normalizeRef(ref)}`, repoTags: [normalizeRef(ref)], size: 0, platform: 'linux/amd64' } : undefined);
  }
  /** The fake runs no processes: a command in a running container succeeds silently. */
  execInContainer(ref: string, _spec: ExecSpec, _streams: SessionStreams, o?: CallOptions): Promise<number> {
    return this.#call('execInContainer', ref, o, () => {
      const c = this.#mustFind('execInContainer', ref);
      if (c.state !== 'running') throw engineError('execInContainer', ref, 409, `Container ${c.id} is not running`);
      return 0;
    });
  }
  /** Starts the container and resolves with its exit code once it exits (exitOnStart or exitContainer). */
  async startAttached(ref: string, _streams: SessionStreams, o?: CallOptions & { tty?: boolean; autoRemove?: boolean }): Promise<number> {
    const c = this.#mustFind('startAttached', ref);
    const exited = new Promise<number>((resolve) => {
      const watcher: Watcher = { filter: {}, onEvent: (e) => {
        if (e.id !== c.id || e.action !== 'die') return;
        this.#watchers.delete(watcher);
        if (o?.autoRemove === true) this.containers.delete(c.id);
        resolve(e.exitCode ?? 0);
      } };
      this.#watchers.add(watcher);
    });
    await this.startContainer(c.id, o);
    return exited;
  }

  listNetworks(filter: LabelFilter, o?: CallOptions): Promise<NetworkSummary[]> {
    return this.#call('listNetworks', 'networks', o, () => this.#networks.filter((n) => matches(n.labels, filter)));
  }
  findNetwork(name: string, o?: CallOptions): Promise<NetworkSummary | undefined> {
    return this.#call('findNetwork', name, o, () => this.#networks.find((n) => n.name === name));
  }
  createNetwork(spec: NetworkSpec, o?: CallOptions): Promise<string> {
    // 20.10's CheckDuplicate is best effort: it sees networks that exist when the call starts,
    // so two concurrent creates of one name both succeed, as on the real engine.
    let duplicate = false;
    const check = (): void => void (duplicate = this.#networks.some((n) => n.name === spec.name));
    return this.#call('createNetwork', spec.name, o, () => {
      if (duplicate) throw engineError('createNetwork', spec.name, 409, `network with name ${spec.name} already exists`);
      const created = new Date(Date.UTC(2024, 0, 1) + ++this.#seq).toISOString();
      const network: NetworkSummary = { id: this.#newId(), name: spec.name, driver: spec.driver ?? 'bridge', labels: { ...spec.labels }, created };
      this.#networks.push(network);
      return network.id;
    }, check);
  }
  removeNetwork(ref: string, o?: CallOptions): Promise<void> {
    return this.#call('removeNetwork', ref, o, () => {
      const matching = this.#networks.filter((n) => n.id === ref || n.name === ref);
      const network = matching.find((n) => n.id === ref) ?? matching[0];
      if (network === undefined) return;
      if (matching.length > 1 && network.id !== ref) throw engineError('removeNetwork', ref, 400, `network ${ref} is ambiguous (${matching.length} matches found based on name)`);
      if ([...this.containers.values()].some((c) => c.state === 'running' && c.networks.includes(network.name))) {
        throw engineError('removeNetwork', ref, 403, `error while removing network: network ${network.name} id ${network.id} has active endpoints`);
      }
      this.#networks.splice(this.#networks.indexOf(network), 1);
    });
  }

  listVolumes(filter: LabelFilter, o?: CallOptions): Promise<VolumeSummary[]> {
    return this.#call('listVolumes', 'volumes', o, () => [...this.volumes.values()].filter((v) => matches(v.labels, filter)));
  }
  findVolume(name: string, o?: CallOptions): Promise<VolumeSummary | undefined> {
    return this.#call('findVolume', name, o, () => this.volumes.get(name));
  }
  createVolume(spec: VolumeSpec, o?: CallOptions): Promise<VolumeSummary> {
    return this.#call('createVolume', spec.name, o, () => this.#ensureVolume(spec));
  }
  removeVolume(name: string, o?: CallOptions): Promise<void> {
    return this.#call('removeVolume', name, o, () => {
      if (!this.volumes.has(name)) return;
      if ([...this.containers.values()].some((c) => c.volumes.includes(name))) throw engineError('removeVolume', name, 409, `remove ${name}: volume is in use`);
      this.volumes.delete(name);
    });
  }

  imageHistory(ref: string, o?: CallOptions): Promise<ImageHistory | undefined> {
    return this.#call('imageHistory', ref, o, () =>
      this.images.has(normalizeRef(ref)) ? this.options.imageHistories?.[ref] ?? { steps: [], workingDir: '', volumes: [] } : undefined);
  }
  imageExists(ref: string, o?: CallOptions): Promise<boolean> {
    return this.#call('imageExists', ref, o, () => this.images.has(normalizeRef(ref)));
  }
  pullImage(ref: string, onProgress: (p: PullProgress) => void, o?: CallOptions): Promise<void> {
    return this.#call('pullImage', ref, o, () => {
      const registry = this.options.registry;
      if (registry !== undefined && !registry.map(normalizeRef).includes(normalizeRef(ref))) {
        throw engineError('pullImage', ref, 404, `pull access denied for ${ref}, repository does not exist or may require 'docker login'`);
      }
      onProgress({ layer: 'layer1', status: 'Downloading', current: 1, total: 2 });
      onProgress({ layer: 'layer1', status: 'Pull complete' });
      this.images.add(normalizeRef(ref));
    });
  }
  removeImage(ref: string, o?: CallOptions): Promise<void> {
    return this.#call('removeImage', ref, o, () => {
      if (!this.images.has(normalizeRef(ref))) return;
      if ([...this.containers.values()].some((c) => normalizeRef(c.image) === normalizeRef(ref))) {
        throw engineError('removeImage', ref, 409, `conflict: unable to remove repository reference "${ref}" (must force)`);
      }
      this.images.delete(normalizeRef(ref));
    });
  }
  /** Reads the whole context (as the engine does), then tags the image; the build's lines are two steps. */
  async buildImage(context: NodeJS.ReadableStream, options: BuildOptions, onProgress: (p: BuildProgress) => void, o?: CallOptions): Promise<string> {
    let bytes = 0;
    for await (const chunk of context) bytes += chunk.length;
    return this.#call('buildImage', options.tags[0] ?? 'image', o, () => {
      const step = `Step 1/1 : COPY . /  (${bytes} bytes)`;
      onProgress({ step, line: step });
      onProgress({ step, line: ' ---> 0123456789ab' });
      for (const tag of options.tags) this.images.add(normalizeRef(tag));
      return `sha256:${this.#newId()}`;
    });
  }
  pushImage(ref: string, onProgress: (p: PullProgress) => void, o?: CallOptions): Promise<void> {
    return this.#call('pushImage', ref, o, () => {
      if (!this.images.has(normalizeRef(ref))) throw engineError('pushImage', ref, 404, `An image does not exist locally with the tag: ${ref}`);
      onProgress({ layer: 'layer1', status: 'Pushed' });
    });
  }

  /** Appends a line to a container's log, as if its process had written it. */
  printLog(ref: string, stream: 'stdout' | 'stderr', line: string): void {
    const c = this.#mustFind('printLog', ref);
    const entry = { stream, line, ms: Date.parse(this.#stamp()) };
    this.#logs.set(c.id, [...(this.#logs.get(c.id) ?? []), entry]);
    for (const listener of [...(this.#logListeners.get(c.id) ?? [])]) listener(entry);
  }
  /** Replays the stored log (tail, since, until), then with `follow` delivers new lines until the container stops. */
  async containerLogs(ref: string, options: LogOptions, onLine: (stream: 'stdout' | 'stderr', line: string) => void, o?: CallOptions): Promise<void> {
    const c = await this.#call('containerLogs', ref, o, () => this.#mustFind('containerLogs', ref));
    const since = options.since === undefined ? -Infinity : Math.round(Number(options.since) * 1000);
    const until = options.until === undefined ? Infinity : Math.round(Number(options.until) * 1000);
    const deliver = (e: FakeLogEntry): void => {
      if (e.ms >= since && e.ms <= until) onLine(e.stream, options.timestamps === true ? `${new Date(e.ms).toISOString()} ${e.line}` : e.line);
    };
    const stored = (this.#logs.get(c.id) ?? []).filter((e) => e.ms >= since && e.ms <= until);
    for (const e of options.tail === undefined ? stored : stored.slice(Math.max(0, stored.length - options.tail))) deliver(e);
    if (options.follow !== true || c.state !== 'running' || o?.signal?.aborted === true) return;
    await new Promise<void>((resolve) => {
      const listeners = this.#logListeners.get(c.id) ?? new Set();
      this.#logListeners.set(c.id, listeners);
      const watcher: Watcher = { filter: {}, onEvent: (e) => void (e.id === c.id && (e.action === 'die' || e.action === 'destroy') && done()) };
      const done = (): void => {
        listeners.delete(deliver);
        this.#watchers.delete(watcher);
        resolve();
      };
      listeners.add(deliver);
      this.#watchers.add(watcher);
      o?.signal?.addEventListener('abort', done, { once: true });
    });
  }
  /** Resolves with the exit code once the container is not running; rejects with 404 once it is gone. */
  async waitContainer(ref: string, o?: CallOptions): Promise<number> {
    const c = await this.#call('waitContainer', ref, o, () => this.#mustFind('waitContainer', ref));
    if (c.state !== 'running' && c.state !== 'paused' && c.state !== 'restarting') return c.exitCode;
    return new Promise<number>((resolve, reject) => {
      const watcher: Watcher = { filter: {}, onEvent: (e) => {
        if (e.id !== c.id || e.action !== 'die') return;
        this.#watchers.delete(watcher);
        resolve(c.exitCode);
      } };
      this.#watchers.add(watcher);
      o?.signal?.addEventListener('abort', () => {
        this.#watchers.delete(watcher);
        reject(o.signal?.reason);
      }, { once: true });
    });
  }

  /** Like DockerEngine: subscribed at once, delivers until the signal aborts, then resolves. */
  watchContainers(filter: LabelFilter, onEvent: (e: ContainerEvent) => void, o?: CallOptions): Promise<void> {
    return new Promise<void>((resolve) => {
      if (o?.signal?.aborted === true) return resolve();
      const watcher = { filter, onEvent };
      this.#watchers.add(watcher);
      o?.signal?.addEventListener('abort', () => {
        this.#watchers.delete(watcher);
        resolve();
      }, { once: true });
    });
  }

  /** Records the call and its concurrency; `atStart` runs as the call arrives, before its latency. */
  async #call<T>(operation: string, resource: string, o: CallOptions | undefined, work: () => T, atStart?: () => void): Promise<T> {
    const record: FakeCall = { operation, resource, startSeq: ++this.#seq, startedAt: performance.now() };
    this.calls.push(record);
    this.#maxConcurrent = Math.max(this.#maxConcurrent, ++this.#inFlight);
    try {
      this.options.onCall?.(record);
      atStart?.();
      const latency = this.options.latencyMs;
      await delay(typeof latency === 'function' ? latency(operation, resource) : (latency ?? 0), o?.signal);
      const rule = this.#rules.find((r) => r.operation === operation && (r.resource === undefined || r.resource === resource || this.container(r.resource)?.id === resource));
      if (rule !== undefined) throw engineError(operation, resource, rule.statusCode ?? 500, rule.message ?? 'injected failure');
      const result = work();
      record.ok = true;
      return result;
    } catch (error) {
      record.ok = false;
      throw error;
    } finally {
      this.#inFlight--;
      record.endSeq = ++this.#seq;
      record.endedAt = performance.now();
    }
  }

  #createContainer(spec: ContainerSpec): string {
    const body = readSpecBody(spec);
    if (!this.images.has(normalizeRef(body.image))) throw engineError('createContainer', spec.name, 404, `No such image: ${body.image}`);
    const missing = body.networks.find((ref) => !this.#networks.some((n) => n.name === ref || n.id === ref));
    if (missing !== undefined) throw engineError('createContainer', spec.name, 404, `network ${missing} not found`);
    // Like the engine, a network given by id is joined under its name.
    const networks = [...new Set(body.networks.map((ref) => this.#networks.find((n) => n.id === ref)?.name ?? ref))];
    // Like the engine, a named volume that does not exist yet is created, unlabelled.
    for (const name of body.volumes) this.#ensureVolume({ name, driverOpts: {}, labels: {} });
    const c: FakeContainer = { ...body, networks, id: this.#newId(), name: spec.name, state: 'created', exitCode: 0, health: 'none', created: Math.floor(Date.now() / 1000) };
    this.containers.set(c.id, c);
    this.#emit(c, 'create');
    return c.id;
  }

  /** As the engine: an existing volume of the name is kept and returned as it is. */
  #ensureVolume(spec: VolumeSpec): VolumeSummary {
    const existing = this.volumes.get(spec.name);
    if (existing !== undefined) return existing;
    const created = { name: spec.name, driver: spec.driver ?? 'local', labels: { ...spec.labels }, mountpoint: `/var/lib/docker/volumes/${spec.name}/_data` };
    this.volumes.set(spec.name, created);
    return created;
  }

  /** One-shot jobs exit and healthchecks report shortly after start, as they would on an engine. */
  #scheduleAfterStart(c: FakeContainer): void {
    const code = this.options.exitOnStart?.({ name: c.name, image: c.image, command: c.command });
    const health = c.healthcheck ? this.options.healthOnStart?.({ name: c.name, image: c.image }) : undefined;
    if (code === undefined && health === undefined) return;
    setImmediate(() => {
      if (health !== undefined && c.state === 'running') this.#setHealth(c, health, health === 'unhealthy' ? 'check failed' : 'ok');
      if (code !== undefined) this.#exit(c, code);
    });
  }

  #mustFind(operation: string, ref: string): FakeContainer {
    const found = this.container(ref);
    if (found === undefined) throw engineError(operation, ref, 404, `No such container: ${ref}`);
    return found;
  }

  /** Now, as an ISO time strictly after the last one: log lines and state changes keep their order, as the engine's nanosecond times do. */
  #stamp(): string {
    this.#lastStamp = Math.max(Date.now(), this.#lastStamp + 1);
    return new Date(this.#lastStamp).toISOString();
  }

  #newId(): string {
    return (++this.#ids).toString(16).padStart(12, '0').padEnd(64, 'f');
  }

  #emit(c: FakeContainer, action: string, exitCode?: number): void {
    const event: ContainerEvent = { id: c.id, action, labels: c.labels, ...(exitCode === undefined ? {} : { exitCode }) };
    for (const w of [...this.#watchers]) if (matches(c.labels, w.filter)) w.onEvent(event);
  }

  #exit(c: FakeContainer, code: number): void {
    if (c.state !== 'running') return;
    Object.assign(c, { state: 'exited', exitCode: code, finishedAt: this.#stamp() });
    this.#emit(c, 'die', code);
  }

  #setHealth(c: FakeContainer, health: HealthStatus, output?: string): void {
    c.health = health;
    if (output !== undefined) c.lastHealthOutput = output;
    if (health !== 'none' && health !== 'starting') this.#emit(c, `health_status: ${health}`);
  }
}

function conflict(name: string): EngineError {
  return engineError('createContainer', name, 409, `Conflict. The container name "/${name}" is already in use`);
}

/** The Engine's label filter: every key present; a non-empty value must match exactly. */
export function matches(labels: Labels, filter: LabelFilter): boolean {
  return Object.entries(filter).every(([key, value]) => labels[key] !== undefined && (value === '' || labels[key] === value));
}

function engineError(operation: string, resource: string, statusCode: number, message: string): EngineError {
  return new EngineError(`could not ${operation} ${resource}: ${message}`, { operation, resource, statusCode });
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted === true) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = (): void => { clearTimeout(timer); reject(signal?.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
