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

# newest_dockerd: the path of Debian trixie's dockerd (docker.io 26.1.5, API 1.45), fetched once into
# $VOLUMEGEN_CACHE_DIR (/var/cache/volumegen): its .deb downloaded with apt-get from a trixie sources
# list kept in a temporary apt folder (this machine's own apt sources stay bookworm's), extracted with
# dpkg -x, not installed. It runs on bookworm's containerd and runc (the docker.io package's
# dependencies), and bookworm's docker CLI (20.10) talks to it at API 1.41.
newest_dockerd() {
  local cache="${VOLUMEGEN_CACHE_DIR:-/var/cache/volumegen}/docker-trixie"
  if [ ! -x "$cache/root/usr/sbin/dockerd" ]; then
    local apt_dir
    apt_dir=$(mktemp -d)
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"
    echo "deb http://deb.debian.org/debian trixie main" >"$apt_dir/sources.list"
    local opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
      -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache")
    echo "fetching Debian trixie's docker.io (dockerd 26) into $cache" >&2
    if ! { as_root apt-get "${opts[@]}" update && (cd "$apt_dir/debs" && as_root apt-get "${opts[@]}" download docker.io); } >"$apt_dir/apt.log" 2>&1; then
      tail -n 20 "$apt_dir/apt.log" >&2
      as_root rm -rf "$apt_dir"
      return 1
    fi
    as_root mkdir -p "$cache"
    as_root rm -rf "$cache/root"
    as_root dpkg -x "$(ls "$apt_dir"/debs/docker.io_*.deb)" "$cache/root"
    as_root rm -rf "$apt_dir"
  fi
  echo "$cache/root/usr/sbin/dockerd"
}
