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
