#!/usr/bin/env bash
# Installs, starts and stops a Podman service that speaks the Docker API, for running the
# integration tests against a second engine.
#   podman-engine.sh start   install podman if missing and serve it on a unix socket (prints DOCKER_HOST)
#   podman-engine.sh stop    stop the service this script started (by pid)
# Checked on Debian 12's podman 4.3.1: containers only run once default_ulimits is empty (runc
# otherwise fails setting rlimits here), so a containers.conf saying so is passed in CONTAINERS_CONF.
set -euo pipefail

state_dir="${VOLUMEGEN_PODMAN_DIR:-/tmp/volumegen-podman}"
socket="$state_dir/podman.sock"
pid_file="$state_dir/podman.pid"

# shellcheck source=engine-common.sh
. "$(dirname "$0")/engine-common.sh"

start() {
  mkdir -p "$state_dir"
  command -v podman >/dev/null 2>&1 || install_packages "$state_dir/apt.log" podman
  printf '[containers]\ndefault_ulimits = []\n' >"$state_dir/containers.conf"
  if [ -f "$pid_file" ] && alive "$(cat "$pid_file")"; then
    echo "unix://$socket"
    return 0
  fi
  rm -f "$socket"
  CONTAINERS_CONF="$state_dir/containers.conf" nohup podman system service --time=0 "unix://$socket" >"$state_dir/service.log" 2>&1 &
  echo $! >"$pid_file"
  podman_up() { DOCKER_HOST="unix://$socket" timeout 5 docker version >/dev/null 2>&1; }
  if ! wait_for_engine podman-engine "$state_dir/service.log" "$(cat "$pid_file")" "${VOLUMEGEN_VARIANT_START_TIMEOUT:-120}" podman_up; then
    stop_by_pid "$pid_file" "the Podman service"
    return 1
  fi
  echo "podman-engine: $(podman --version)" >&2
  echo "unix://$socket"
}

stop() { stop_by_pid "$pid_file" "the Podman service"; }

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
