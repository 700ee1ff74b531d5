#!/usr/bin/env bash
# Starts and stops a second Docker Engine of a kind security-conscious users deploy, beside the main
# one, for running the integration tests against it:
#   docker-variant-engine.sh userns start|stop     dockerd --userns-remap=default (containers' root is
#                                                  an unprivileged host uid; uploads are id-mapped)
#   docker-variant-engine.sh rootless start|stop   dockerd-rootless.sh as a plain user (rootlesskit, uidmap)
# start prints the DOCKER_HOST to use; each start begins with an empty data root (no stale images),
# stop stops only what this script started (by pid) and removes its state.
# Checked on Debian 12 (docker.io 20.10.24, rootlesskit 1.1.0): rootless runs only with the host
# network (slirp4netns cannot create its tap device here, so DOCKERD_ROOTLESS_ROOTLESSKIT_NET=host and
# no port driver) and without cgroups (v1 host), so it accepts memory and pids limits and ignores
# them: VolumeGen refuses to run tools there unless VOLUMEGEN_ALLOW_UNENFORCED_LIMITS=1.
set -euo pipefail

kind="${1:-}"
action="${2:-}"
case "$kind" in userns | rootless) ;; *) echo "usage: $0 userns|rootless start|stop" >&2; exit 2 ;; esac
state_dir="${VOLUMEGEN_VARIANT_DIR:-/tmp/volumegen-$kind}"
run_dir="$state_dir/run"
socket="$run_dir/docker.sock"
pid_file="$run_dir/docker.pid"
rootless_user=volumegen-rootless

# shellcheck source=engine-common.sh
. "$(dirname "$0")/engine-common.sh"

install_missing() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  if [ "$kind" = rootless ]; then
    command -v rootlesskit >/dev/null 2>&1 || missing+=(rootlesskit)
    command -v newuidmap >/dev/null 2>&1 || missing+=(uidmap)
    command -v slirp4netns >/dev/null 2>&1 || missing+=(slirp4netns)
  fi
  install_packages "$state_dir/apt.log" "${missing[@]}"
}

engine_up() { DOCKER_HOST="unix://$socket" timeout 5 docker info >/dev/null 2>&1; }

start() {
  if [ -f "$pid_file" ] && alive "$(cat "$pid_file")"; then
    echo "unix://$socket"
    return 0
  fi
  as_root rm -rf "$state_dir"
  mkdir -p "$state_dir/data" "$run_dir"
  install_missing
  # No iptables and no bridge, as for the main engine: tools run with network none.
  local daemon_args=(--data-root "$state_dir/data" -H "unix://$socket" --pidfile "$pid_file" --iptables=false --ip6tables=false --bridge=none)
  if [ "$kind" = userns ]; then
    # "default" makes dockerd create the dockremap user and its subordinate id ranges.
    as_root nohup dockerd --userns-remap=default --exec-root "$state_dir/exec" "${daemon_args[@]}" >"$state_dir/dockerd.log" 2>&1 &
  else
    id "$rootless_user" >/dev/null 2>&1 || as_root useradd --create-home --shell /usr/sbin/nologin "$rootless_user"
    grep -q "^$rootless_user:" /etc/subuid || echo "$rootless_user:165536:65536" | as_root tee -a /etc/subuid >/dev/null
    grep -q "^$rootless_user:" /etc/subgid || echo "$rootless_user:165536:65536" | as_root tee -a /etc/subgid >/dev/null
    as_root chown -R "$rootless_user:" "$state_dir"
    chmod 700 "$run_dir"
    as_root runuser -u "$rootless_user" -- env HOME="/home/$rootless_user" XDG_RUNTIME_DIR="$run_dir" \
      PATH="/usr/share/docker.io/contrib:/usr/sbin:/usr/bin:/sbin:/bin" \
      DOCKERD_ROOTLESS_ROOTLESSKIT_NET=host DOCKERD_ROOTLESS_ROOTLESSKIT_PORT_DRIVER=none DOCKERD_ROOTLESS_ROOTLESSKIT_MTU=0 \
      nohup dockerd-rootless.sh "${daemon_args[@]}" >"$state_dir/dockerd.log" 2>&1 &
    # The socket must be reachable by the tests (run as root here, or by the invoking user).
  fi
  # Watched through what was launched (dockerd writes its pid file only once it is up), with a
  # fresh data root: no stale state to clean up, so a start that takes minutes is a failure.
  local launcher=$!
  if ! wait_for_engine "docker-variant-engine: $kind" "$state_dir/dockerd.log" "$launcher" "${VOLUMEGEN_VARIANT_START_TIMEOUT:-120}" engine_up; then
    stop_pid "$launcher" "$kind launcher"
    stop_by_pid "$pid_file" "$kind dockerd"
    return 1
  fi
  echo "docker-variant-engine: $kind: $(DOCKER_HOST="unix://$socket" docker info --format '{{.ServerVersion}}, {{.SecurityOptions}}, cgroup driver {{.CgroupDriver}}')" >&2
  echo "unix://$socket"
}

stop() {
  [ -f "$pid_file" ] || return 0
  stop_by_pid "$pid_file" "$kind dockerd"
  # rootlesskit exits with its child; give it a moment, then drop the state (images included).
  sleep 1
  as_root rm -rf "$state_dir"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 userns|rootless start|stop" >&2; exit 2 ;;
esac
