#!/usr/bin/env bash
# Wall time of building a 10,000-file context (half excluded by .dockerignore): gantry build
# against docker-compose build (Debian's 1.29) and DOCKER_BUILDKIT=0 docker build, on this engine.
# Cold = --no-cache (the COPY step runs), warm = cached (the engine still receives the whole
# context and hashes it). Usage: bash bench/build-context.sh [RUNS] [COUNT]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}
count=${2:-10000}
ctx="$here/bench/tmp/context"
project="gantry-bench-$$"
node "$here/scripts/gen-context.mjs" "$ctx" "$count" >&2
export COMPOSE_DOCKER_CLI_BUILD=0 DOCKER_BUILDKIT=0

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N); echo "$end - $start" | bc; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
gantry() { node "$here/bin/gantry" -p "$project" --progress quiet build "$@"; }
compose() { docker-compose -p "$project" build "$@"; }
plain() { docker build -q -t "$project-reference" "$@" .; }

cd "$ctx"
cleanup() { docker image rm -f "$project-app" "${project}_app" "$project-reference" >/dev/null 2>&1 || true; }
trap cleanup EXIT
# One build of each first, so the base image and every cache start equal.
gantry >/dev/null 2>&1; compose >/dev/null 2>&1; plain >/dev/null 2>&1
for mode in cold warm; do
  flag=(); [[ $mode == cold ]] && flag=(--no-cache)
  for tool in gantry compose plain; do
    for _ in $(seq "$runs"); do seconds "$tool" "${flag[@]}"; done | median | xargs printf '%-6s %-16s %6.2f s (median of %d)\n' "$mode" "$tool" "$runs" >&2 || true
  done
done
echo "files in the image: $(docker run --rm "$project-app" find /ctx -type f | wc -l)" >&2
