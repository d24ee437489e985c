// Typed errors: every failure a user can cause carries where it happened and what would fix it.
import type { FieldPath } from './model/field-path.js';

export interface GantryErrorOptions {
  readonly hint?: string;
  readonly cause?: unknown;
  readonly exitCode?: number;
}

/** Base of every error Gantry expects; `cli/main.ts` prints these without a stack trace. */
export class GantryError extends Error {
  override name = 'GantryError';
  readonly hint: string | undefined;
  readonly exitCode: number;
  constructor(message: string, options: GantryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** One problem found in a compose file, located as precisely as the source allows. */
export interface ConfigIssue {
  /** The file the problem is in (absolute path, or '-' for standard input). */
  readonly file: string;
  /** 1-based line and column; 0 when the location is unknown (e.g. a merged value). */
  readonly line: number;
  readonly column: number;
  /** The field the problem is about, e.g. ['services', 'web', 'ports', 0]. */
  readonly path: FieldPath;
  readonly message: string;
  /** What would fix it, e.g. 'did you mean "command"?'. */
  readonly hint?: string;
  /** The source line, for a one-line snippet under the message. */
  readonly snippet?: string;
}

/** The compose model is invalid; carries every issue found, sorted by file and line. */
export class ConfigError extends GantryError {
  override name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[], options: GantryErrorOptions = {}) {
    const sorted = [...issues].sort(compareIssues);
    super(sorted.length === 1 ? (sorted[0]?.message ?? 'invalid compose file') : `${sorted.length} problems in the compose file`, options);
    this.issues = sorted;
  }
}

/** A `depends_on` cycle; the issues point at each edge of the loop. */
export class CycleError extends ConfigError {
  override name = 'CycleError';
  readonly cycle: readonly string[];
  constructor(cycle: readonly string[], issues: readonly ConfigIssue[]) {
    super(issues);
    this.cycle = cycle;
  }
}

/** Bad command-line usage: unknown flag, unknown service, invalid project name. */
export class UsageError extends GantryError {
  override name = 'UsageError';
}

/** A Docker Engine call failed; names the operation and the resource it was for. */
export class EngineError extends GantryError {
  override name = 'EngineError';
  readonly operation: string;
  readonly resource: string;
  readonly statusCode: number | undefined;
  constructor(message: string, details: { operation: string; resource: string; statusCode?: number }, options: GantryErrorOptions = {}) {
    super(message, options);
    this.operation = details.operation;
    this.resource = details.resource;
    this.statusCode = details.statusCode;
  }
}

/** An image build failed: the step that failed, and the last lines it printed. */
export class BuildError extends EngineError {
  override name = 'BuildError';
  /** 'Step 3/4 : RUN make', when the builder had started one. */
  readonly step: string | undefined;
  readonly output: readonly string[];
  /** The builder's own words: "The command '/bin/sh -c make' returned a non-zero code: 2". */
  readonly reason: string;
  constructor(message: string, details: { resource: string; reason: string; step?: string; output: readonly string[]; statusCode?: number }, options: GantryErrorOptions = {}) {
    super(message, { operation: 'build image', resource: details.resource, ...(details.statusCode === undefined ? {} : { statusCode: details.statusCode }) }, options);
    this.step = details.step;
    this.output = details.output;
    this.reason = details.reason;
  }
}

export type DependencyFailure = 'exited' | 'unhealthy' | 'timeout' | 'failed';

/** A service could not start because a dependency did not meet its condition. */
export class DependencyError extends GantryError {
  override name = 'DependencyError';
  readonly service: string;
  readonly dependency: string;
  readonly reason: DependencyFailure;
  constructor(details: { service: string; dependency: string; reason: DependencyFailure; detail?: string }, options: GantryErrorOptions = {}) {
    super(`service "${details.service}" did not start: dependency "${details.dependency}" ${describeFailure(details.reason)}${details.detail ? `: ${details.detail}` : ''}`, options);
    this.service = details.service;
    this.dependency = details.dependency;
    this.reason = details.reason;
  }
}

/**
 * A same-named copy of a project network (left by a concurrent `up` that crashed, engine 20.10)
 * that `up` cannot remove because containers still use it; while it stays, the engine refuses to
 * start any container on that name as ambiguous.
 */
export class DuplicateNetworkError extends GantryError {
  override name = 'DuplicateNetworkError';
  readonly network: string;
  readonly duplicateId: string;
  readonly keptId: string;
  constructor(details: { network: string; duplicateId: string; keptId: string }, options: GantryErrorOptions = {}) {
    const id = details.duplicateId.slice(0, 12);
    super(`network ${details.network} has a duplicate (id ${id}, next to ${details.keptId.slice(0, 12)}) that containers still use: the engine cannot start a container on a name two networks share`, {
      hint: `see what uses it with 'docker network inspect ${id}' and disconnect it (docker network disconnect ${id} CONTAINER), or run 'gantry down' then 'gantry up'`,
      ...options,
    });
    this.network = details.network;
    this.duplicateId = details.duplicateId;
    this.keptId = details.keptId;
  }
}

/** The user pressed Ctrl-C (or the process got SIGTERM). */
export class InterruptedError extends GantryError {
  override name = 'InterruptedError';
  constructor(message = 'interrupted') {
    super(message, { exitCode: 130 });
  }
}

function describeFailure(reason: DependencyFailure): string {
  switch (reason) {
    case 'exited': return 'exited';
    case 'unhealthy': return 'is unhealthy';
    case 'timeout': return 'did not become ready in time';
    case 'failed': return 'failed';
  }
}

function compareIssues(a: ConfigIssue, b: ConfigIssue): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}
