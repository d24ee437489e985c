// A reader of Gantry's progress that goes away (`gantry up -d 2>&1 | head -3`, a CI step that
// stops reading) must not stop a command halfway: node dies on the failed write (EPIPE) and left
// a half-created project. What goes to stderr (progress, warnings, hints) is then given up and the
// work finishes. stdout is what a command was asked for (`ps`, `logs -f`): there, a reader that
// leaves still ends the command, as for any writer of a pipe.
export function keepWorkingWithoutStderr(): void {
  // Nothing can be told about an error of the error stream itself; later writes are dropped.
  process.stderr.on('error', () => undefined);
}
