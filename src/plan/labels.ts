// Names and labels exactly as docker compose sets them, so both tools manage each other's projects.

export const LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  containerNumber: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  configHash: 'com.docker.compose.config-hash',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  environmentFile: 'com.docker.compose.project.environment_file',
  dependsOn: 'com.docker.compose.depends_on',
  version: 'com.docker.compose.version',
  image: 'com.docker.compose.image',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  replace: 'com.docker.compose.replace',
  /** A one-off (`run`) container's random id; its first 12 characters end the container name. */
  slug: 'com.docker.compose.slug',
} as const;

/** The compose version Gantry reports in labels: the v2 line whose behaviour it follows. */
export const COMPOSE_VERSION_LABEL = '2.24.0';

export function containerName(project: string, service: string, number: number): string {
  return `${project}-${service}-${number}`;
}

/** `<project>_<key>` unless the resource declares its own `name:`. */
export function scopedName(project: string, key: string, explicitName?: string): string {
  return explicitName ?? `${project}_${key}`;
}

/** The label filter that selects every resource of a project. */
export function projectFilter(project: string): Record<string, string> {
  return { [LABEL.project]: project };
}
