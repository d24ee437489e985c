# Shell functions the set-up scripts share. Source it; it runs nothing by itself.

# Starts "$@" detached, appending its output to the log file $1: its own session (setsid), no
# terminal, stdin from /dev/null. All inherited descriptors above 2 are closed first, so the
# daemon holds neither the set-up lock nor a pipe of whoever ran this script (a test runner
# waiting for EOF). Sets $started to the daemon's pid.
detach() {
  local log=$1
  shift
  (
    for fd in "/proc/$BASHPID/fd/"*; do
      fd=${fd##*/}
      if [[ $fd =~ ^[0-9]+$ ]] && ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid nohup "$@" </dev/null >>"$log" 2>&1
  ) &
  started=$!
}

# True when the engine to use is something other than the local default socket: then starting
# (or restarting) a local dockerd would not help, and the scripts must not try.
custom_engine() {
  if [[ -n ${DOCKER_HOST:-} && ${DOCKER_HOST} != unix:///var/run/docker.sock && ${DOCKER_HOST} != unix:///run/docker.sock ]]; then
    return 0
  fi
  if [[ -n ${DOCKER_CONTEXT:-} && ${DOCKER_CONTEXT} != default ]]; then
    return 0
  fi
  local cfg=${DOCKER_CONFIG:-${HOME:-/root}/.docker}/config.json
  if [[ -f $cfg ]] && grep -Eq '"currentContext"[[:space:]]*:[[:space:]]*"[^"]' "$cfg" \
    && ! grep -Eq '"currentContext"[[:space:]]*:[[:space:]]*"default"' "$cfg"; then
    return 0
  fi
  return 1
}

# True when the dockerd named by /var/run/docker.pid is alive.
dockerd_running() {
  local pid
  [[ -r /var/run/docker.pid ]] || return 1
  pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == dockerd ]]
}

# Waits until `engine_answers` (defined by the caller) succeeds, for at most $1 seconds. $started
# is the dockerd the caller started, or empty. If it dies while another live dockerd owns the
# engine (say, one the docker.io package's init script started just now, which made ours give
# up), that one is waited for instead; otherwise `say`s why with the last lines of the log $2
# and returns 1.
await_engine() {
  local timeout=$1 log=$2
  local deadline=$((SECONDS + timeout))
  until engine_answers; do
    if [[ -n ${started:-} ]] && ! kill -0 "$started" 2>/dev/null; then
      if dockerd_running; then
        started=""
      else
        say "dockerd exited before answering; last lines of $log:"
        tail -n 30 "$log" >&2 || true
        return 1
      fi
    fi
    if ((SECONDS >= deadline)); then
      say "dockerd did not answer within ${timeout}s; last lines of $log:"
      tail -n 30 "$log" >&2 || true
      return 1
    fi
    sleep 0.25
  done
}
