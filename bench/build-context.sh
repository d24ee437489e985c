#!/usr/bin/env bash
# Wall time of building a 10,000-file context (half excluded by .dockerignore): gantry build
# against docker-compose build (Debian's 1.29) and DOCKER_BUILDKIT=0 docker build, on this engine.
# Cold = --no-cache (the COPY step runs), warm = cached (the engine still receives the whole
# context and hashes it). Runs are interleaved so load from elsewhere hits every tool alike.
# Usage: bash bench/build-context.sh [RUNS] [COUNT]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
count=${2:-10000}
ctx="$here/bench/tmp/context"
project="gantry-bench-$$"
node "$here/scripts/gen-context.mjs" "$ctx" "$count" >&2
export COMPOSE_DOCKER_CLI_BUILD=0 DOCKER_BUILDKIT=0
tools=(gantry compose docker)
declare -A tag=([gantry]="$project-app" [compose]="${project}_app" [docker]="$project-docker")

build() {
  local tool=$1; shift
  case $tool in
    gantry) node "$here/bin/gantry" -p "$project" --progress quiet build "$@" ;;
    compose) docker-compose -p "$project" build -q "$@" ;;
    docker) docker build -q -t "${tag[docker]}" "$@" . ;;
  esac
}
seconds() { local start end; start=$(date +%s.%N); build "$@" >/dev/null 2>&1; end=$(date +%s.%N); echo "$end - $start" | bc; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
remove() { docker image rm -f "${tag[$1]}" >/dev/null 2>&1 || true; }

cd "$ctx"
trap 'for t in "${tools[@]}"; do remove "$t"; done' EXIT
out=$(mktemp -d)
for mode in cold warm; do
  flag=(); [[ $mode == cold ]] && flag=(--no-cache)
  # Warm runs start from a built image; cold ones from none (so no-cache builds leave nothing dangling).
  for t in "${tools[@]}"; do [[ $mode == warm ]] && build "$t" >/dev/null 2>&1; done
  for _ in $(seq "$runs"); do
    for t in "${tools[@]}"; do
      [[ $mode == cold ]] && remove "$t"
      seconds "$t" "${flag[@]}" >>"$out/$mode-$t"
    done
  done
  for t in "${tools[@]}"; do printf '%-5s %-8s %6.2f s  (median of %d)\n' "$mode" "$t" "$(median <"$out/$mode-$t")" "$runs"; done
done
echo "files in the image: $(docker run --rm "${tag[gantry]}" find /ctx -type f | wc -l); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$out"
