// The Engine interface: what Gantry needs from a Docker Engine, in Gantry's own types.
// docker-engine.ts is its only real implementation and the only importer of dockerode;
// test/support/fake-engine.ts is an in-memory one for planner and executor unit tests.

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
  readonly mounts: readonly { readonly type: string; readonly name?: string; readonly source: string; readonly destination: string }[];
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
  readonly extraNetworks: readonly { readonly name: string; readonly aliases: readonly string[]; readonly ipv4Address?: string; readonly ipv6Address?: string }[];
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

/** A container lifecycle event from the engine's event stream. */
export interface ContainerEvent {
  readonly id: string;
  /** 'start', 'die', 'health_status: healthy', 'destroy', ... as the engine names them. */
  readonly action: string;
  readonly labels: Labels;
  readonly exitCode?: number;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
}

export interface Engine {
  /** Where the engine is, for messages: 'unix:///var/run/docker.sock', 'tcp://…'. */
  readonly endpoint: string;
  ping(options?: CallOptions): Promise<void>;

  listContainers(filter: LabelFilter, options?: CallOptions & { all?: boolean }): Promise<ContainerSummary[]>;
  inspectContainer(id: string, options?: CallOptions): Promise<ContainerDetails>;
  createContainer(spec: ContainerSpec, options?: CallOptions): Promise<string>;
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
  createVolume(spec: VolumeSpec, options?: CallOptions): Promise<void>;
  removeVolume(name: string, options?: CallOptions): Promise<void>;

  imageExists(ref: string, options?: CallOptions): Promise<boolean>;
  pullImage(ref: string, onProgress: (p: PullProgress) => void, options?: CallOptions): Promise<void>;
  removeImage(ref: string, options?: CallOptions): Promise<void>;

  /** Container events for containers matching the filter, from now until the signal aborts. */
  watchContainers(filter: LabelFilter, onEvent: (e: ContainerEvent) => void, options?: CallOptions): Promise<void>;
}
