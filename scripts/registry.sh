#!/usr/bin/env bash
# Makes sure a local image registry answers at 127.0.0.1:5000 and holds the test image as
# 127.0.0.1:5000/gantry-test/busybox:1 (the engine trusts 127.0.0.1:5000 without TLS).
#
# Starts Debian's docker-registry (distribution 2.8) with a config of its own, detached so it
# outlives this script, when nothing answers there. Idempotent and quiet when all is there.
# Environment: GANTRY_REGISTRY_DIR (config, storage and log; default /tmp/gantry-registry).
set -euo pipefail

ADDR=127.0.0.1
PORT=5000
DIR=${GANTRY_REGISTRY_DIR:-/tmp/gantry-registry}
IMAGE=${GANTRY_TEST_IMAGE:-gantry-test/busybox:1}
REPO=${IMAGE%:*}
TAG=${IMAGE##*:}
REMOTE=$ADDR:$PORT/$IMAGE
TIMEOUT=${GANTRY_REGISTRY_TIMEOUT:-20}

say() { printf 'gantry-setup: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Prints the HTTP status of a request to the registry (000 when nothing answers). Plain bash,
# so it needs neither curl nor wget.
http_status() {
  local method=$1 path=$2 status=000
  {
    exec 3<>"/dev/tcp/$ADDR/$PORT"
    printf '%s %s HTTP/1.0\r\nHost: %s:%s\r\nAccept: application/vnd.docker.distribution.manifest.v2+json\r\nAccept: application/vnd.oci.image.manifest.v1+json\r\n\r\n' \
      "$method" "$path" "$ADDR" "$PORT" >&3
    if IFS=' ' read -r -t 5 _ status _ <&3; then :; else status=000; fi
    # Drain so the registry does not log a broken pipe.
    while IFS= read -r -t 5 _ <&3; do :; done
    exec 3>&-
  } 2>/dev/null || status=000
  printf '%s' "${status:-000}"
}

registry_answers() {
  local s
  s=$(http_status GET /v2/)
  [[ $s == 200 || $s == 401 ]]
}

if ! registry_answers; then
  mkdir -p "$DIR/data"
  if command -v docker-registry >/dev/null 2>&1; then
    cat >"$DIR/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $DIR/data
  delete:
    enabled: true
http:
  addr: $ADDR:$PORT
EOF
    say "starting docker-registry on $ADDR:$PORT (log: $DIR/registry.log)"
    detach "$DIR/registry.log" docker-registry serve "$DIR/config.yml"
  else
    fail "no registry answers at $ADDR:$PORT and docker-registry is not installed: install it (Debian/Ubuntu: 'apt-get install docker-registry'), or run any registry there"
  fi
  deadline=$((SECONDS + TIMEOUT))
  until registry_answers; do
    if ! kill -0 "$started" 2>/dev/null || ((SECONDS >= deadline)); then
      say "docker-registry did not come up on $ADDR:$PORT; last lines of $DIR/registry.log:"
      tail -n 20 "$DIR/registry.log" >&2 || true
      exit 1
    fi
    sleep 0.1
  done
fi

status=$(http_status HEAD "/v2/$REPO/manifests/$TAG")
if [[ $status == 200 ]]; then
  exit 0
fi
[[ $status == 404 ]] || fail "unexpected answer $status from the registry at $ADDR:$PORT for $REPO:$TAG"

docker image inspect "$IMAGE" >/dev/null 2>&1 || fail "$IMAGE is missing locally: run scripts/test-images.sh first"
docker tag "$IMAGE" "$REMOTE"
if ! out=$(docker push "$REMOTE" 2>&1); then
  printf '%s\n' "$out" >&2
  fail "pushing $REMOTE failed"
fi
say "pushed $REMOTE"
