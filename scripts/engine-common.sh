# Shared by the engine scripts (sourced, not run): root when needed, Debian packages, stopping by pid.

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# install_packages LOG PACKAGE...: apt-get install, with one apt-get update when the first try fails.
install_packages() {
  local log=$1
  shift
  [ $# -eq 0 ] && return 0
  echo "installing $*" >&2
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y --no-install-recommends "$@" >"$log" 2>&1 || {
    as_root apt-get update >>"$log" 2>&1
    as_root apt-get install -y --no-install-recommends "$@" >>"$log" 2>&1
  }
}

# stop_by_pid PID_FILE WHAT: stops the process the file names (TERM, KILL after 30 s) and removes the file.
stop_by_pid() {
  local pid_file=$1 what=$2 pid
  [ -f "$pid_file" ] || return 0
  pid=$(cat "$pid_file")
  if kill -0 "$pid" 2>/dev/null; then
    echo "stopping $what (pid $pid)" >&2
    as_root kill "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && as_root kill -9 "$pid"
  fi
  rm -f "$pid_file"
}

# wait_for_engine WHAT LOG PID_FILE TIMEOUT PROBE...: waits until PROBE succeeds. Gives up early when
# the process the pid file names has exited (a pid file not written yet is no verdict), and after
# TIMEOUT seconds. Progress goes to stderr every 30 s, so a slow start is visible, not silent.
wait_for_engine() {
  local what=$1 log=$2 pid_file=$3 timeout=$4 started=$SECONDS
  shift 4
  local next_report=$((started + 30))
  while [ $((SECONDS - started)) -lt "$timeout" ]; do
    if "$@"; then
      echo "$what: up after $((SECONDS - started)) s" >&2
      return 0
    fi
    if [ -f "$pid_file" ] && ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      echo "$what: exited while starting; last log lines:" >&2
      tail -n 20 "$log" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$next_report" ]; then
      # dockerd logs each network sandbox it removes at start-up; that is most of a slow start.
      echo "$what: still starting after $((SECONDS - started)) s ($(grep -c 'Removing stale sandbox' "$log") stale network sandboxes removed so far)" >&2
      next_report=$((SECONDS + 30))
    fi
    sleep 0.5
  done
  echo "$what: did not answer within $timeout s; last log lines:" >&2
  tail -n 20 "$log" >&2
  return 1
}
