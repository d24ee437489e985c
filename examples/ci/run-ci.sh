#!/usr/bin/env bash
# A CI pipeline with Gantry, as a CI job would run it:
#   1. bring the stack up and wait until it is healthy (gantry up -d --wait);
#   2. run the tests in a one-off container next to it (gantry run --rm tests);
#   3. when they fail, print the services' logs (gantry logs);
#   4. always tear everything down, volumes included (gantry down -v, from a trap);
#   5. exit with the tests' exit code.
# GANTRY names the gantry executable (default: gantry on PATH); CI_PROJECT the project name
# (default: ci-example), so parallel jobs on one engine do not meet.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
gantry=("${GANTRY:-gantry}" --file "$here/compose.yaml" --project-name "${CI_PROJECT:-ci-example}" --progress plain)

teardown() {
  echo '--- teardown'
  "${gantry[@]}" down --volumes --remove-orphans --timeout 2 || echo 'teardown failed' >&2
}
trap teardown EXIT

echo '--- start the stack'
if ! "${gantry[@]}" up --detach --wait --wait-timeout 60; then
  echo 'the stack did not become ready; its logs:' >&2
  "${gantry[@]}" logs --no-color
  exit 1
fi

echo '--- run the tests'
status=0
"${gantry[@]}" run --rm --no-TTY tests || status=$?

if [ "$status" -ne 0 ]; then
  echo "--- the tests failed (exit $status); the services' logs:"
  "${gantry[@]}" logs --no-color
fi
exit "$status"
