// The Engine interface: what Gantry needs from a Docker Engine, in Gantry's own types.
// docker-engine.ts is its only real implementation (over http-transport.ts, or ssh-transport.ts for ssh://);
// test/support/fake-engine.ts is an in-memory one for planner and executor unit tests.

import type { Readable, Writable } from 'node:stream';

export type Labels = Readonly<Record<string, string>>;

/** A label filter: every key must be present; a non-empty value must match exactly. */
export type LabelFilter = Labels;

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
export type HealthStatus = 'starting' | 'healthy' | 'unhealthy' | 'none';

export interface PublishedPort {
  readonly url?: string;
  readonly targetPort: number;
  readonly publishedPort: number;
  readonly protocol: string;
}

export interface ContainerSummary {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly imageId: string;
  readonly command: string;
  /** Unix seconds. */
  readonly created: number;
  readonly state: ContainerState;
  /** Human status, e.g. "Up 3 seconds (healthy)". */
  readonly status: string;
  readonly labels: Labels;
  readonly ports: readonly PublishedPort[];
  readonly networks: readonly string[];
  /** What the container mounts (the list call reports it too); absent when the source did not say. */
  readonly mounts?: readonly ContainerMount[];
}

/** One mount of a container: `name` is the volume's name for type 'volume'. */
export interface ContainerMount {
  readonly type: string;
  readonly name?: string;
  readonly source: string;
  readonly destination: string;
}

export interface ContainerDetails extends ContainerSummary {
  readonly exitCode: number;
  readonly health: HealthStatus;
  /** Output of the most recent healthcheck run, for "never healthy" messages. */
  readonly lastHealthOutput?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly error?: string;
  readonly restartCount: number;
  readonly mounts: readonly ContainerMount[];
}

export interface NetworkSummary {
  readonly id: string;
  readonly name: string;
  readonly driver: string;
  readonly labels: Labels;
  readonly created?: string;
}

export interface VolumeSummary {
  readonly name: string;
  readonly driver: string;
  readonly labels: Labels;
  readonly mountpoint?: string;
}

/**
 * Container creation in Gantry's terms; docker-engine.ts maps it to the API body.
 * Built from a Service by engine/container-spec.ts (pure).
 */
export interface ContainerSpec {
  readonly name: string;
  /** The Engine API create body (Config + HostConfig + NetworkingConfig), built by container-spec.ts. */
  readonly body: Readonly<Record<string, unknown>>;
  /** Networks beyond the one in the create body (API 1.41 takes one); createContainer connects them before it returns. */
  readonly extraNetworks: readonly { readonly name: string; readonly id?: string; readonly aliases: readonly string[]; readonly ipv4Address?: string; readonly ipv6Address?: string }[];
}

export interface NetworkSpec {
  readonly name: string;
  readonly driver?: string;
  readonly driverOpts: Labels;
  readonly labels: Labels;
  readonly internal: boolean;
  readonly attachable: boolean;
  readonly enableIpv6: boolean;
  readonly ipam?: {
    readonly driver?: string;
    readonly config: readonly { readonly subnet?: string; readonly ipRange?: string; readonly gateway?: string; readonly auxAddresses: Labels }[];
    readonly options: Labels;
  };
}

export interface VolumeSpec {
  readonly name: string;
  readonly driver?: string;
  readonly driverOpts: Labels;
  readonly labels: Labels;
}

export interface PullProgress {
  readonly layer?: string;
  readonly status: string;
  readonly current?: number;
  readonly total?: number;
}

/** The parameters of an image build besides its context (the classic builder's, API 1.41). */
export interface BuildOptions {
  /** Every name the image gets: 'demo-web', '127.0.0.1:5000/team/app:1'. */
  readonly tags: readonly string[];
  /** The Dockerfile's path inside the context. */
  readonly dockerfile: string;
  readonly buildArgs: Readonly<Record<string, string>>;
  /** The stage to build in a multi-stage Dockerfile. @default the last */
  readonly target?: string;
  readonly labels: Labels;
  /** The network RUN steps use: 'default', 'host', 'none' or a network's name. */
  readonly networkMode?: string;
  /** 'host:ip' entries added to /etc/hosts during RUN steps. */
  readonly extraHosts: readonly string[];
  /** Bytes of /dev/shm for RUN steps. */
  readonly shmSize?: number;
  /** Images whose layers may serve as cache. */
  readonly cacheFrom: readonly string[];
  readonly noCache: boolean;
  /** Pull newer versions of the FROM images first. */
  readonly pull: boolean;
  /** 'linux/amd64'. @default the engine's */
  readonly platform?: string;
}

export interface BuildProgress {
  /** The step the line belongs to, in the builder's words: 'Step 2/5 : RUN make'. */
  readonly step?: string;
  /** One line of the builder's output (a step starts with its own header line). */
  readonly line: string;
}

/** A container lifecycle event from the engine's event stream. */
export interface ContainerEvent {
  readonly id: string;
  /** 'start', 'die', 'health_status: healthy', 'destroy', ... as the engine names them. */
  readonly action: string;
  readonly labels: Labels;
  readonly exitCode?: number;
}

/** `docker top`: column titles and one row of cells per process. */
export interface ProcessTable {
  readonly titles: readonly string[];
  readonly processes: readonly (readonly string[])[];
}

export interface ImageDetails {
  /** 'sha256:…' */
  readonly id: string;
  readonly repoTags: readonly string[];
  /** Bytes. */
  readonly size: number;
  /** RFC 3339, when the engine knows it. */
  readonly created?: string;
  /** 'linux/amd64', 'linux/arm/v7'. */
  readonly platform: string;
  /** Paths the image declares as VOLUME (each container gets an anonymous volume there). */
  readonly volumes?: readonly string[];
}

/** What an image's build wrote where, for the bind-mount hint: its history and config paths. */
export interface ImageHistory {
  /** Each layer's CreatedBy, oldest first ('/bin/sh -c #(nop) COPY dir:… in /app ', 'COPY . /app # buildkit'). */
  readonly steps: readonly string[];
  /** Config.WorkingDir ('' when unset). */
  readonly workingDir: string;
  /** Config.Volumes: paths the image declares as VOLUME. */
  readonly volumes: readonly string[];
}

/** A command run inside a running container (`exec`). */
export interface ExecSpec {
  readonly command: readonly string[];
  /** KEY=VALUE entries added to the container's environment. */
  readonly env: readonly string[];
  readonly workingDir?: string;
  readonly user?: string;
  readonly privileged: boolean;
  /** Allocate a pseudo-terminal: output arrives raw on stdout. */
  readonly tty: boolean;
  /** Connect the local stdin to the command's. */
  readonly interactive: boolean;
  /** Start it and return at once (exit code 0, no streams). */
  readonly detach: boolean;
}

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

/** The local ends of an exec or attach session, in Node's stream types (no dockerode ones). */
export interface SessionStreams {
  /** Sent to the container; its end closes the container's stdin. @default none */
  readonly stdin?: Readable;
  readonly stdout: Writable;
  /** Without a TTY, the demultiplexed stderr; with one, everything goes to stdout. */
  readonly stderr: Writable;
  /** With a TTY: the local terminal's size, and how to hear when it changes (returns an unsubscribe). */
  readonly terminal?: { readonly size: () => TerminalSize; readonly onResize: (listener: () => void) => () => void };
}

/** Which part of a container's log to read (GET /containers/{id}/logs). */
export interface LogOptions {
  /** Keep streaming until the container stops (or the signal aborts). @default false */
  readonly follow?: boolean;
  /** Only the last N lines. @default all */
  readonly tail?: number;
  /** Engine time as "seconds.nanoseconds" (engine/logs.ts toEngineTimestamp). */
  readonly since?: string;
  readonly until?: string;
  /** Prefix each line with the engine's RFC 3339 timestamp. @default false */
  readonly timestamps?: boolean;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
}

/** Narrows a watch on the engine's side, so a busy engine's other events are not sent at all. */
export interface WatchOptions extends CallOptions {
  /** Only these containers (ids or names). @default all matching the label filter */
  readonly containers?: readonly string[];
  /** Only these actions ('kill', 'die', …). @default all */
  readonly actions?: readonly string[];
}

export interface Engine {
  /** Where the engine is, for messages: 'unix:///var/run/docker.sock', 'tcp://…'. */
  readonly endpoint: string;
  ping(options?: CallOptions): Promise<void>;

  listContainers(filter: LabelFilter, options?: CallOptions & { all?: boolean }): Promise<ContainerSummary[]>;
  inspectContainer(id: string, options?: CallOptions): Promise<ContainerDetails>;
  createContainer(spec: ContainerSpec, options?: CallOptions): Promise<string>;
  /** Unpacks a tar archive into a container's filesystem at `path` (a created container: before start). */
  copyToContainer(id: string, path: string, archive: NodeJS.ReadableStream, options?: CallOptions): Promise<void>;
  startContainer(id: string, options?: CallOptions): Promise<void>;
  /** Stops with the given grace period in seconds (the engine then kills). */
  stopContainer(id: string, options?: CallOptions & { timeoutSeconds?: number }): Promise<void>;
  removeContainer(id: string, options?: CallOptions & { force?: boolean; volumes?: boolean }): Promise<void>;

  listNetworks(filter: LabelFilter, options?: CallOptions): Promise<NetworkSummary[]>;
  /** Looks a network up by exact name, labelled or not (for external networks and conflict checks). */
  findNetwork(name: string, options?: CallOptions): Promise<NetworkSummary | undefined>;
  createNetwork(spec: NetworkSpec, options?: CallOptions): Promise<string>;
  removeNetwork(idOrName: string, options?: CallOptions): Promise<void>;

  listVolumes(filter: LabelFilter, options?: CallOptions): Promise<VolumeSummary[]>;
  findVolume(name: string, options?: CallOptions): Promise<VolumeSummary | undefined>;
  /**
   * The volume as the engine has it afterwards. Create is idempotent on the engine: a volume that
   * already has the name comes back as it is, and its labels say whose it is.
   */
  createVolume(spec: VolumeSpec, options?: CallOptions): Promise<VolumeSummary>;
  removeVolume(name: string, options?: CallOptions): Promise<void>;

  imageExists(ref: string, options?: CallOptions): Promise<boolean>;
  pullImage(ref: string, onProgress: (p: PullProgress) => void, options?: CallOptions): Promise<void>;
  removeImage(ref: string, options?: CallOptions): Promise<void>;
  /** The image's history and config paths; undefined when the engine has no such image (never pulls). */
  imageHistory(ref: string, options?: CallOptions): Promise<ImageHistory | undefined>;
  /**
   * Builds an image from a tar context, streaming each line of output; resolves with the image
   * id. A failing step rejects with a BuildError that carries the step and its last lines.
   */
  buildImage(context: NodeJS.ReadableStream, options: BuildOptions, onProgress: (p: BuildProgress) => void, callOptions?: CallOptions): Promise<string>;
  /** Pushes one tag to its registry, with per-layer progress. */
  pushImage(ref: string, onProgress: (p: PullProgress) => void, options?: CallOptions): Promise<void>;

  restartContainer(id: string, options?: CallOptions & { timeoutSeconds?: number }): Promise<void>;
  /** Sends a signal (`signalName`, default SIGKILL) to a running container. */
  killContainer(id: string, options?: CallOptions & { signalName?: string }): Promise<void>;
  pauseContainer(id: string, options?: CallOptions): Promise<void>;
  unpauseContainer(id: string, options?: CallOptions): Promise<void>;
  /** The processes running in a container (`docker top`). */
  listProcesses(id: string, options?: CallOptions): Promise<ProcessTable>;
  /** undefined when the engine has no such image. */
  inspectImage(ref: string, options?: CallOptions): Promise<ImageDetails | undefined>;
  /** Runs a command in a running container, streaming until it ends; resolves with its exit code. */
  execInContainer(id: string, spec: ExecSpec, streams: SessionStreams, options?: CallOptions): Promise<number>;
  /**
   * Attaches to a created container, starts it and streams until it exits; resolves with its
   * exit code (also for containers created with AutoRemove). An abort closes the streams.
   */
  startAttached(id: string, streams: SessionStreams, options?: CallOptions & { tty?: boolean; autoRemove?: boolean }): Promise<number>;

  /**
   * Streams a container's log as whole lines, stdout and stderr apart (everything is stdout with a
   * TTY). Resolves at the end of the log (with `follow`, when the container stops) or on abort.
   */
  containerLogs(id: string, options: LogOptions, onLine: (stream: 'stdout' | 'stderr', line: string) => void, callOptions?: CallOptions): Promise<void>;
  /** Resolves with the exit code once the container is not running (at once if it already is not). */
  waitContainer(id: string, options?: CallOptions): Promise<number>;

  /** Container events for containers matching the filter, from now until the signal aborts. */
  watchContainers(filter: LabelFilter, onEvent: (e: ContainerEvent) => void, options?: WatchOptions): Promise<void>;
}
