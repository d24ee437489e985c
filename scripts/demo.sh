#!/usr/bin/env bash
# The demo a newcomer runs first: sets up the engine and the offline test image, brings the demo
# stack up (web → api → migrate job → healthchecked store), shows it, fetches the page from the
# published port, and takes everything down again with its volume.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
[[ -f dist/cli/main.js ]] || npm run build --silent

gantry() { node bin/gantry -f examples/demo/compose.yaml "$@"; }
cleanup() { gantry down -v --progress quiet >/dev/null 2>&1 || true; }
trap cleanup EXIT

echo "==> gantry up -d   (the dependency graph, as the plan shows it first)"
gantry up --dry-run | sed 's/^/    /'
gantry up -d
echo
echo "==> gantry ps -a"
gantry ps -a
echo
echo "==> the page served on http://127.0.0.1:18080/"
node -e "fetch('http://127.0.0.1:18080/').then(async (r) => { if (!r.ok) throw new Error('HTTP ' + r.status); console.log((await r.text()).trim()); }).catch((e) => { console.error('could not fetch the page:', e.message); process.exit(1); })"
echo
echo "==> gantry down -v"
gantry down -v
trap - EXIT
echo
echo "Demo finished: the stack came up in dependency order, served its page, and is gone."
