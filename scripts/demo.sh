#!/usr/bin/env bash
# Placeholder demo: sets up the engine, then shows the demo stack's resolved configuration.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
node bin/gantry config -f examples/demo/compose.yaml
