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

# alive PID: whether the process exists. Not `kill -0`: for a caller that is not root, a root
# process (dockerd under sudo) answers EPERM, which would read as gone.
alive() { [ -n "$1" ] && ps -p "$1" >/dev/null 2>&1; }

# stop_pid PID WHAT: stops the process (TERM, KILL after 30 s: dockerd ignores TERM while it cleans up at start-up).
stop_pid() {
  local pid=$1 what=$2
  alive "$pid" || return 0
  echo "stopping $what (pid $pid)" >&2
  as_root kill "$pid" 2>/dev/null
  for _ in $(seq 1 60); do alive "$pid" || break; sleep 0.5; done
  if alive "$pid"; then as_root kill -9 "$pid" 2>/dev/null; fi
  return 0
}

# stop_by_pid PID_FILE WHAT: stops the process the file names and removes the file.
stop_by_pid() {
  local pid_file=$1 what=$2
  [ -f "$pid_file" ] || return 0
  stop_pid "$(cat "$pid_file")" "$what"
  rm -f "$pid_file"
}

# wait_for_engine WHAT LOG PID TIMEOUT PROBE...: waits until PROBE succeeds. Gives up early when the
# process PID (what the caller launched) has exited, and after TIMEOUT seconds. Progress goes to
# stderr every 30 s, so a slow start is visible, not silent.
wait_for_engine() {
  local what=$1 log=$2 pid=$3 timeout=$4 started=$SECONDS
  shift 4
  local next_report=$((started + 30))
  while [ $((SECONDS - started)) -lt "$timeout" ]; do
    if "$@"; then
      echo "$what: up after $((SECONDS - started)) s" >&2
      return 0
    fi
    if ! alive "$pid"; then
      echo "$what: exited while starting; last log lines:" >&2
      tail -n 20 "$log" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$next_report" ]; then
      echo "$what: still starting after $((SECONDS - started)) s" >&2
      next_report=$((SECONDS + 30))
    fi
    sleep 0.5
  done
  echo "$what: did not answer within $timeout s; last log lines:" >&2
  tail -n 20 "$log" >&2
  return 1
}
