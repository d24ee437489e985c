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
