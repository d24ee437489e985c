// The typed, readonly compose model that planning starts from. Spec keys are snake_case in raw
// trees; after toProject() everything here is camelCase domain types.

export type Condition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface Dependency {
  readonly service: string;
  readonly condition: Condition;
  /** Recreate this service when the dependency is recreated. */
  readonly restart: boolean;
  /** `required: false`: a missing or failed dependency only warns. */
  readonly required: boolean;
}

export interface PortMapping {
  /** Container port. */
  readonly target: number;
  /** Host port or range ("8080", "8000-8010"); undefined means an ephemeral host port. */
  readonly published?: string;
  readonly hostIp?: string;
  readonly protocol: 'tcp' | 'udp' | 'sctp';
  readonly mode: 'ingress' | 'host';
  readonly appProtocol?: string;
  readonly name?: string;
}

export type MountType = 'volume' | 'bind' | 'tmpfs' | 'npipe' | 'cluster';

export interface Mount {
  readonly type: MountType;
  /** Volume key in the project (for named volumes), absolute host path (bind), or undefined (anonymous/tmpfs). */
  readonly source?: string;
  readonly target: string;
  readonly readOnly: boolean;
  readonly consistency?: string;
  readonly bind?: { readonly propagation?: string; readonly createHostPath: boolean; readonly selinux?: 'z' | 'Z' };
  readonly volume?: { readonly nocopy: boolean; readonly subpath?: string };
  readonly tmpfs?: { readonly size?: number; readonly mode?: number };
}

export interface Healthcheck {
  /** ['CMD', ...], ['CMD-SHELL', '...'] or ['NONE']. */
  readonly test?: readonly string[];
  /** Durations in nanoseconds, as the Engine API takes them. */
  readonly interval?: number;
  readonly timeout?: number;
  readonly retries?: number;
  readonly startPeriod?: number;
  readonly startInterval?: number;
  readonly disable: boolean;
}

export interface ServiceNetwork {
  readonly aliases: readonly string[];
  readonly ipv4Address?: string;
  readonly ipv6Address?: string;
  readonly linkLocalIps: readonly string[];
  readonly macAddress?: string;
  readonly priority: number;
}

export interface Ulimit {
  readonly soft: number;
  readonly hard: number;
}

export interface FileReference {
  /** Key in the project's top-level secrets/configs. */
  readonly source: string;
  /** Absolute path inside the container. */
  readonly target: string;
  readonly uid?: string;
  readonly gid?: string;
  readonly mode?: number;
}

export type PullPolicy = 'always' | 'never' | 'missing' | 'build' | 'if_not_present' | 'daily' | 'weekly' | string;

export interface Build {
  readonly context: string;
  readonly dockerfile?: string;
  readonly dockerfileInline?: string;
  readonly args: Readonly<Record<string, string | null>>;
  readonly target?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly network?: string;
  readonly extraHosts: readonly string[];
  readonly shmSize?: number;
  readonly cacheFrom: readonly string[];
  readonly noCache: boolean;
  readonly pull: boolean;
  readonly tags: readonly string[];
  readonly platforms: readonly string[];
}

export interface Logging {
  readonly driver?: string;
  readonly options: Readonly<Record<string, string>>;
}

export interface Resources {
  /** CPUs as a fraction (0.5 = half a core). */
  readonly cpus?: number;
  /** Bytes. */
  readonly memory?: number;
  readonly memoryReservation?: number;
  readonly pids?: number;
}

export interface Service {
  readonly name: string;
  /** The image to run (for build-only services, `<project>-<service>`). */
  readonly image: string;
  readonly build?: Build;
  readonly pullPolicy?: PullPolicy;
  readonly command?: readonly string[] | null;
  readonly entrypoint?: readonly string[] | null;
  /** Container environment after env_file and environment are combined; null = pass from host unset. */
  readonly environment: Readonly<Record<string, string | null>>;
  readonly workingDir?: string;
  readonly user?: string;
  readonly hostname?: string;
  readonly domainname?: string;
  readonly containerName?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly PortMapping[];
  readonly expose: readonly string[];
  readonly mounts: readonly Mount[];
  readonly volumesFrom: readonly string[];
  /** Networks keyed by the project's network key; empty when networkMode is set. */
  readonly networks: Readonly<Record<string, ServiceNetwork>>;
  /** 'host', 'none', 'bridge', 'service:NAME', 'container:NAME'. */
  readonly networkMode?: string;
  readonly dependsOn: readonly Dependency[];
  readonly healthcheck?: Healthcheck;
  readonly restart?: string;
  readonly init?: boolean;
  readonly stopSignal?: string;
  /** Nanoseconds. */
  readonly stopGracePeriod?: number;
  readonly extraHosts: readonly string[];
  readonly dns: readonly string[];
  readonly dnsSearch: readonly string[];
  readonly dnsOpt: readonly string[];
  readonly capAdd: readonly string[];
  readonly capDrop: readonly string[];
  readonly privileged: boolean;
  readonly readOnly: boolean;
  /** tmpfs mounts as "path[:options]" strings. */
  readonly tmpfs: readonly string[];
  readonly ulimits: Readonly<Record<string, Ulimit>>;
  readonly sysctls: Readonly<Record<string, string>>;
  /** Bytes. */
  readonly shmSize?: number;
  readonly resources: Resources;
  readonly logging?: Logging;
  readonly tty: boolean;
  readonly stdinOpen: boolean;
  readonly secrets: readonly FileReference[];
  readonly configs: readonly FileReference[];
  /** Number of containers (scale / deploy.replicas); 1 by default. */
  readonly replicas: number;
  readonly profiles: readonly string[];
  readonly platform?: string;
  readonly ipc?: string;
  readonly pid?: string;
  readonly groupAdd: readonly string[];
  readonly devices: readonly string[];
  readonly securityOpt: readonly string[];
  readonly macAddress?: string;
  readonly cgroupParent?: string;
  readonly isolation?: string;
  readonly storageOpt: Readonly<Record<string, string>>;
  readonly oomScoreAdj?: number;
  readonly oomKillDisable?: boolean;
  readonly memSwappiness?: number;
  readonly memswapLimit?: number;
  readonly cpuShares?: number;
  readonly cpuset?: string;
  readonly pidsLimit?: number;
  readonly attach: boolean;
}

export interface Network {
  /** The key under top-level `networks:` ('default' for the implicit one). */
  readonly key: string;
  /** The engine-side name: `name:` or `<project>_<key>`. */
  readonly name: string;
  readonly external: boolean;
  readonly driver?: string;
  readonly driverOpts: Readonly<Record<string, string>>;
  readonly ipam?: {
    readonly driver?: string;
    readonly config: readonly { readonly subnet?: string; readonly ipRange?: string; readonly gateway?: string; readonly auxAddresses: Readonly<Record<string, string>> }[];
    readonly options: Readonly<Record<string, string>>;
  };
  readonly internal: boolean;
  readonly attachable: boolean;
  readonly enableIpv6: boolean;
  readonly labels: Readonly<Record<string, string>>;
}

export interface Volume {
  readonly key: string;
  /** The engine-side name: `name:` or `<project>_<key>`. */
  readonly name: string;
  readonly external: boolean;
  readonly driver?: string;
  readonly driverOpts: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

/** A file-based secret or config (`file:`), or one from the environment / inline content. */
export interface FileObject {
  readonly key: string;
  readonly name: string;
  readonly file?: string;
  readonly environment?: string;
  readonly content?: string;
  /**
   * The value of the `environment:` variable, read when the model is loaded; absent when the
   * variable is not set. Never part of the printed model, which names only the variable.
   */
  readonly environmentValue?: string;
  readonly external: boolean;
}

export interface Project {
  readonly name: string;
  /** Absolute project directory. */
  readonly workingDir: string;
  /** Absolute paths of the files the model was loaded from, in order. */
  readonly configFiles: readonly string[];
  /** Services in declaration order (profiles applied), keyed by name. */
  readonly services: Readonly<Record<string, Service>>;
  /** Services excluded by profiles (needed to tell orphans from disabled services). */
  readonly disabledServices: readonly string[];
  readonly networks: Readonly<Record<string, Network>>;
  readonly volumes: Readonly<Record<string, Volume>>;
  readonly secrets: Readonly<Record<string, FileObject>>;
  readonly configs: Readonly<Record<string, FileObject>>;
  /** The canonical compose tree this project was built from (what `gantry config` prints). */
  readonly model: Readonly<Record<string, unknown>>;
}
