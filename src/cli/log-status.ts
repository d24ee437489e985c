// The status lines attached `up` and `logs -f` print about a followed container besides its log,
// in compose's words and streams, so both commands read the same: `web-1 exited with code 0` on
// stdout, `web-1 log ended: …` on stderr.
import type { ContainerExit, FollowedContainer } from '../engine/follow.js';
import { displayName, type LogFormatter, type LogPrinter } from '../ui/log-view.js';

export interface StatusOutput {
  readonly project: string;
  readonly formatter: LogFormatter;
  readonly printer: LogPrinter;
}

export function printExited(output: StatusOutput, container: FollowedContainer, exit: ContainerExit): void {
  output.printer.write('stdout', output.formatter.formatStatus(displayName(output.project, container), container.service, `exited with code ${exit.exitCode}`));
}

export function printLogEnded(output: StatusOutput, container: FollowedContainer, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  output.printer.write('stderr', output.formatter.formatStatus(displayName(output.project, container), container.service, `log ended: ${message}`));
}
