// `--attach SERVICE` and `--no-attach SERVICE`, both repeatable. Commander reads `--no-attach`
// as the negation of `--attach` and lets one overwrite the other in a single `attach` value, so
// both lists are collected from the option events instead.
import type { Command } from 'commander';

export interface AttachFlags {
  readonly attachServices: readonly string[];
  readonly noAttach: readonly string[];
}

const collected = new WeakMap<Command, { attachServices: string[]; noAttach: string[] }>();

/** Adds both options to `command` and starts collecting their values. */
export function addAttachFlags(command: Command): Command {
  const lists = { attachServices: [] as string[], noAttach: [] as string[] };
  collected.set(command, lists);
  return command
    .option('--attach <service>', 'show only these services\' logs (repeatable)')
    .option('--no-attach <service>', 'do not show this service\'s logs (repeatable)')
    .on('option:attach', (value: string) => void lists.attachServices.push(value))
    .on('option:no-attach', (value: string) => void lists.noAttach.push(value));
}

export function attachFlagsOf(command: Command): AttachFlags {
  const lists = collected.get(command);
  return { attachServices: [...(lists?.attachServices ?? [])], noAttach: [...(lists?.noAttach ?? [])] };
}
