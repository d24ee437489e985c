#!/usr/bin/env bash
# The whole test-bed set-up that `npm test` (through the e2e global setup) and `npm run demo`
# rely on: an engine, the offline test image, and the local registry holding it.
# Idempotent; takes well under a second when everything is already there.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Two runs at once (two test runs, a demo and a test run) wait for each other instead of
# starting two daemons or two registries.
if [[ -z ${GANTRY_SETUP_LOCKED:-} ]] && command -v flock >/dev/null 2>&1; then
  export GANTRY_SETUP_LOCKED=1
  exec flock "${GANTRY_SETUP_LOCK:-/tmp/gantry-setup.lock}" bash "$here/setup.sh" "$@"
fi

bash "$here/engine.sh"
bash "$here/test-images.sh"
bash "$here/registry.sh"
