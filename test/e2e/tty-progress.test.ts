// The live listr2 display on a real terminal (tmux): one row per network and container, each
// ending with its final state and elapsed time, on stderr.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { eventually, GANTRY_BIN, REPO_ROOT, uniqueProjectName, useProject } from '../support/project.js';

const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
})();

it.skipIf(!hasTmux)('draws one row per resource with its final state and elapsed time', async () => {
  const project = useProject(uniqueProjectName());
  const socket = `gantry-${project}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const dir = join(REPO_ROOT, 'test/e2e/testdata/tty-progress');
  // stdout goes to /dev/null so that only the progress display (stderr) reaches the terminal.
  const command = `cd ${dir} && node -- ${GANTRY_BIN} -p ${project} --progress tty up -d >/dev/null; echo EXIT=$?; sleep 600`;
  tmux('new-session', '-d', '-x', '120', '-y', '20', '-s', 'main', command);
  try {
    const screen = await eventually(() => {
      const text = tmux('capture-pane', '-p', '-t', 'main');
      expect(text).toContain('EXIT=');
      return text;
    }, { timeoutMs: 60_000, intervalMs: 200 });
    expect(screen).toContain('EXIT=0');
    expect(screen).toMatch(new RegExp(`✔ Network ${project}_default +Created +\\d+(\\.\\d)?s`));
    expect(screen).toMatch(new RegExp(`✔ Container ${project}-db-1 +Healthy +\\d+(\\.\\d)?s`));
    expect(screen).toMatch(new RegExp(`✔ Container ${project}-web-1 +Started +\\d+(\\.\\d)?s`));
  } finally {
    tmux('kill-server');
  }
});
