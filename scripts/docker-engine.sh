#!/usr/bin/env bash
# Installs, starts and stops the Docker Engine the tests and samples use.
#   docker-engine.sh start   reuse a reachable engine, else install (Debian packages) and start dockerd:
#                            the newest Docker Engine Debian has, trixie's 26.1.5 (see newest_dockerd in
#                            engine-common.sh); bookworm's 20.10 runs as a second engine of the subset
#                            matrix (docker-variant-engine.sh docker20)
#   docker-engine.sh stop    stop the engine only if this script started it (by pid)
#   docker-engine.sh status  say whether an engine answers
# Idempotent: start twice reuses the first engine; stop without a start does nothing.
set -euo pipefail

state_dir="${VOLUMEGEN_STATE_DIR:-/tmp/volumegen-engine}"
pid_file="$state_dir/dockerd.pid"
log_file="$state_dir/dockerd.log"

engine_up() { timeout 5 docker info >/dev/null 2>&1; }

# shellcheck source=engine-common.sh
. "$(dirname "$0")/engine-common.sh"

install_missing() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v docker >/dev/null 2>&1 || missing+=(docker.io)
  [ -x /bin/busybox ] && file_is_static /bin/busybox || missing+=(busybox-static)
  command -v nmap >/dev/null 2>&1 || missing+=(nmap) # the real scanner of the nmap sample
  # The real-tool corpus (samples/StandInTools/DebianToolImages.cs) packs these into local images.
  local tool
  for tool in yara sqlite3 jq; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  install_packages "$state_dir/apt.log" "${missing[@]}"
}

# Test images copy /bin/busybox into an empty filesystem: it must not need shared libraries.
file_is_static() { ! grep -q "ld-linux" <(head -c 4096 "$1" | tr -c '[:print:]' '\n'); }

start() {
  mkdir -p "$state_dir"
  install_missing
  if engine_up; then
    echo "docker-engine: reusing the engine at ${DOCKER_HOST:-unix:///var/run/docker.sock}"
    return 0
  fi
  if [ -f "$pid_file" ] && alive "$(cat "$pid_file")"; then
    # An earlier start of this script is still coming up: a second dockerd would fail on its pidfile.
    echo "docker-engine: waiting for the dockerd an earlier start left starting (log: $log_file)"
  else
    echo "docker-engine: starting dockerd (log: $log_file)"
    # No iptables and no bridge: this machine cannot program them, and tools run with network none.
    local dockerd
    dockerd=$(newest_dockerd)
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    # Started directly (not through a shell function) so $! is dockerd itself (or sudo, which relays signals).
    # Its own folder first on PATH: dockerd finds docker-proxy beside it.
    "${sudo[@]}" env PATH="$(dirname "$dockerd"):$PATH" nohup "$dockerd" --iptables=false --ip6tables=false --bridge=none >"$log_file" 2>&1 &
    echo $! >"$pid_file"
  fi
  # A live dockerd is given time: at start-up it removes the network sandboxes that earlier
  # containers left in its store (Docker 20.10 with --bridge=none leaves one per container started
  # on the default network, as the CLI baseline of the benchmarks does), ~0.3 s each here, so after
  # a long benchmark session a start takes minutes. That dockerd commits each removal, so a start
  # cut short still shortens the next one.
  if ! wait_for_engine docker-engine "$log_file" "$(cat "$pid_file")" "${VOLUMEGEN_ENGINE_START_TIMEOUT:-900}" engine_up; then
    stop_by_pid "$pid_file" dockerd # nothing half-started stays behind
    return 1
  fi
  if grep -q 'Removing stale sandbox' "$log_file"; then
    echo "docker-engine: dockerd first removed $(grep -c 'Removing stale sandbox' "$log_file") stale network sandboxes"
  fi
  echo "docker-engine: $(docker version --format '{{.Server.Version}}, API {{.Server.APIVersion}}')"
}

stop() {
  [ -f "$pid_file" ] || { echo "docker-engine: not started by this script; leaving it alone"; return 0; }
  stop_by_pid "$pid_file" dockerd
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if engine_up; then echo "up"; else echo "down"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
