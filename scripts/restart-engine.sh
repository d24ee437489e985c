#!/usr/bin/env bash
# Restarts the local dockerd, for the test of "the engine restarted while `up` runs"
# (test/e2e-disruptive/). Every container without a restart policy stops, and every client of
# the engine loses its connections: run it only when nothing else uses the engine.
#
# It restarts only a dockerd this test bed can restart: as root, with the engine on the default
# socket (no DOCKER_HOST or docker context elsewhere), the daemon named by /var/run/docker.pid
# alive, being /usr/sbin/dockerd and not a systemd service. It stops that process (SIGTERM),
# waits for it to exit, starts it again with the same arguments, detached as scripts/engine.sh
# starts it, and waits until the socket answers.
#
# Usage: restart-engine.sh [--check]
#   --check  only say whether the engine can be restarted here; restart nothing.
# Exit: 0 restarted (or restartable, with --check); 2 not an engine this script may restart,
# with the reason in one line on stdout; 1 the restart failed.
# The registry of scripts/registry.sh is a host process, not a container: a restart leaves it
# running. Images (the test image included) live in the engine's storage and survive.
# Environment: GANTRY_DOCKERD_LOG (default /tmp/gantry-dockerd.log), GANTRY_ENGINE_TIMEOUT
# seconds to wait for the old dockerd to exit and for the new one to answer (default 60).
set -euo pipefail

say() { printf 'gantry-restart: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }
refuse() { printf 'cannot restart the engine here: %s\n' "$*"; exit 2; }

DOCKERD=/usr/sbin/dockerd
PIDFILE=/var/run/docker.pid
DOCKERD_LOG=${GANTRY_DOCKERD_LOG:-/tmp/gantry-dockerd.log}
TIMEOUT=${GANTRY_ENGINE_TIMEOUT:-60}

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

engine_answers() { timeout 20 docker info >/dev/null 2>&1; }

# --- is this an engine we may restart? --------------------------------------------------------
[[ $(id -u) == 0 ]] || refuse "not root (the engine belongs to someone else)"
custom_engine && refuse "the engine is not the local default socket (DOCKER_HOST=${DOCKER_HOST:-} DOCKER_CONTEXT=${DOCKER_CONTEXT:-}, or a docker context)"
[[ -r $PIDFILE ]] || refuse "no $PIDFILE (no local dockerd, or one this test bed did not start)"
dockerd_running || refuse "$PIDFILE names no running dockerd"
pid=$(cat "$PIDFILE")
[[ $(readlink "/proc/$pid/exe" 2>/dev/null || true) == "$DOCKERD" ]] || refuse "dockerd (pid $pid) is not $DOCKERD"
if grep -q 'docker\.service' "/proc/$pid/cgroup" 2>/dev/null; then
  refuse "dockerd (pid $pid) is a systemd service: use 'systemctl restart docker'"
fi
engine_answers || refuse "dockerd (pid $pid) does not answer on the default socket"
# Its arguments, to start it again the same way.
mapfile -d '' -t argv <"/proc/$pid/cmdline"
[[ ${#argv[@]} -gt 0 ]] || refuse "cannot read the arguments of dockerd (pid $pid)"
argv[0]=$DOCKERD

if [[ ${1:-} == --check ]]; then
  printf 'dockerd (pid %s) can be restarted\n' "$pid"
  exit 0
fi

# --- stop ---------------------------------------------------------------------------------------
printf '\n--- gantry-restart: stopping dockerd (pid %s) at %s ---\n' "$pid" "$(date -u +%FT%TZ)" >>"$DOCKERD_LOG"
kill -TERM "$pid"
deadline=$((SECONDS + TIMEOUT))
# Gone once /proc/PID is (reaped) or a zombie, should its parent be slow to reap it.
alive() {
  local stat
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}
while alive; do
  ((SECONDS < deadline)) || fail "dockerd (pid $pid) did not exit within ${TIMEOUT}s of SIGTERM"
  sleep 0.1
done

# --- start, as engine.sh does -------------------------------------------------------------------
detach "$DOCKERD_LOG" "${argv[@]}"
await_engine "$TIMEOUT" "$DOCKERD_LOG" || exit 1
printf 'dockerd restarted (pid %s -> %s)\n' "$pid" "$(cat "$PIDFILE" 2>/dev/null || printf '%s' "$started")"
