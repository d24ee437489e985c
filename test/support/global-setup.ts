// Global setup of the e2e project: makes the real-engine test bed ready once per run (an
// engine, the offline test image, the local registry) by running scripts/setup.sh, which
// installs and starts what is missing (root on Debian/Ubuntu) or says what to do.
// The unit project has no global setup and never needs an engine.
// GANTRY_SKIP_SETUP=1 skips it (an engine and the images are then assumed to be there).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export default function setup(): void {
  if (process.env.GANTRY_SKIP_SETUP === '1') return;
  const script = path.join(repoRoot, 'scripts', 'setup.sh');
  const started = Date.now();
  try {
    execFileSync('bash', [script], { cwd: repoRoot, stdio: 'inherit' });
  } catch (err) {
    const status = (err as { status?: number | null }).status;
    throw new Error(
      `The e2e test bed could not be set up: 'bash scripts/setup.sh' failed` +
        `${status != null ? ` (exit ${status})` : ''}; see its output above. ` +
        `Unit tests alone need no engine: npx vitest run --project unit`,
    );
  }
  const took = Date.now() - started;
  if (took > 5_000) console.log(`gantry-setup: test bed ready in ${(took / 1000).toFixed(1)} s`);
}
