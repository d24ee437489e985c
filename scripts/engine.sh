#!/usr/bin/env bash
# Makes sure a Docker Engine answers, plus the host tools the test bed needs
# (docker-compose v1, docker-registry, a static busybox).
#
#  - An engine that already answers (DOCKER_HOST, a docker context, or the default socket) is
#    used as it is: nothing is installed or started for it.
#  - Otherwise, only as root on Debian/Ubuntu: installs docker.io if /usr/sbin/dockerd is
#    missing, then starts dockerd detached (it outlives this script) and waits for it.
#  - Anywhere else: prints one line saying what to do and exits 1.
#
# Quiet when everything is there; one line for each thing it installs or starts.
# Environment: GANTRY_DOCKERD_LOG (default /tmp/gantry-dockerd.log),
#              GANTRY_ENGINE_TIMEOUT seconds to wait for dockerd (default 60).
set -euo pipefail

say() { printf 'gantry-setup: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

DOCKERD=/usr/sbin/dockerd
DOCKERD_LOG=${GANTRY_DOCKERD_LOG:-/tmp/gantry-dockerd.log}
APT_LOG=${GANTRY_APT_LOG:-/tmp/gantry-apt.log}
TIMEOUT=${GANTRY_ENGINE_TIMEOUT:-60}

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

have() { command -v "$1" >/dev/null 2>&1; }

engine_answers() {
  have docker && timeout 20 docker info >/dev/null 2>&1
}

debian_root() {
  [[ $(id -u) == 0 ]] || return 1
  have apt-get || return 1
  [[ -r /etc/os-release ]] || return 1
  local id="" id_like=""
  # shellcheck disable=SC1091
  id=$(. /etc/os-release && printf '%s' "${ID:-}")
  # shellcheck disable=SC1091
  id_like=$(. /etc/os-release && printf '%s' "${ID_LIKE:-}")
  [[ $id == debian || $id == ubuntu || $id_like == *debian* || $id_like == *ubuntu* ]]
}

static_busybox() {
  local b
  for b in /bin/busybox /usr/bin/busybox; do
    [[ -x $b ]] || continue
    # ldd exits non-zero ("not a dynamic executable") for a static binary.
    if ! have ldd || ! ldd "$b" >/dev/null 2>&1; then return 0; fi
  done
  return 1
}

# --- what is missing -------------------------------------------------------------------------
answers=0
engine_answers && answers=1

pkgs=()
if [[ $answers == 0 ]] && ! custom_engine; then
  if [[ ! -x $DOCKERD ]] || ! have docker; then pkgs+=(docker.io); fi
fi
have docker-compose || pkgs+=(docker-compose)
have docker-registry || pkgs+=(docker-registry)
static_busybox || pkgs+=(busybox-static)

if [[ $answers == 1 && ${#pkgs[@]} == 0 ]]; then
  exit 0 # the fast path: everything is there
fi

# --- install what is missing (root on Debian/Ubuntu only) ------------------------------------
if [[ ${#pkgs[@]} -gt 0 ]]; then
  if debian_root; then
    say "installing ${pkgs[*]} (apt-get; log: $APT_LOG)"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -q && apt-get install -y -q "${pkgs[@]}"; } >"$APT_LOG" 2>&1; then
      tail -n 20 "$APT_LOG" >&2 || true
      fail "apt-get failed to install ${pkgs[*]} (see $APT_LOG)"
    fi
  elif [[ $answers == 1 ]]; then
    # The engine is fine; only test-bed tools are missing. Tell, but let setup go on: the
    # scripts that need a tool say so themselves.
    say "missing ${pkgs[*]}: install them (e.g. 'apt-get install ${pkgs[*]}' as root) for the full test bed"
    exit 0
  fi
fi

[[ $answers == 1 ]] && exit 0
# Installing docker.io may have started the engine through its init script.
if [[ ${#pkgs[@]} -gt 0 ]] && engine_answers; then exit 0; fi

# --- start the engine --------------------------------------------------------------------------
if custom_engine; then
  fail "no Docker Engine answers at ${DOCKER_HOST:-docker context ${DOCKER_CONTEXT:-(config)}}: start that engine, or unset DOCKER_HOST/DOCKER_CONTEXT to use a local one"
fi
if ! debian_root; then
  if [[ $(id -u) != 0 ]]; then
    fail "no Docker Engine answers: start one (Docker Desktop, 'sudo systemctl start docker', or set DOCKER_HOST), or run this as root on Debian/Ubuntu to install and start one"
  fi
  fail "no Docker Engine answers: install and start Docker Engine (https://docs.docker.com/engine/install/), or set DOCKER_HOST"
fi
[[ -x $DOCKERD ]] || fail "$DOCKERD is missing even after installing docker.io"

if dockerd_running; then
  say "dockerd is already starting (pid $(cat /var/run/docker.pid)); waiting for it"
else
  say "starting dockerd (log: $DOCKERD_LOG)"
  : >"$DOCKERD_LOG"
  # setsid + nohup: its own session, so it outlives this script and the test run.
  detach "$DOCKERD_LOG" "$DOCKERD"
fi

started=${started:-}
await_engine "$TIMEOUT" "$DOCKERD_LOG" || exit 1
