#!/usr/bin/env bash
# Starts and stops a second Docker Engine of a kind security-conscious users deploy, beside the main
# one, for running the integration tests against it:
#   docker-variant-engine.sh userns start|stop     dockerd --userns-remap=default (containers' root is
#                                                  an unprivileged host uid; uploads are id-mapped)
#   docker-variant-engine.sh rootless start|stop   dockerd-rootless.sh as a plain user (rootlesskit, uidmap)
#   docker-variant-engine.sh docker20 start|stop   bookworm's dockerd 20.10.24 (API 1.41), as it comes: the
#                                                  engine most installed Debian 12 hosts still run
#   docker-variant-engine.sh tls start|stop        dockerd speaking only TLS on tcp://127.0.0.1:$VOLUMEGEN_TLS_PORT
#                                                  (23760), client certificates required, as a docker:dind
#                                                  sidecar does; the certificates are made with openssl in
#                                                  $state_dir/certs: client/ (ca.pem, cert.pem, key.pem: the
#                                                  DOCKER_CERT_PATH to use), untrusting/ (another CA),
#                                                  stranger/ (a client certificate of another CA)
# start prints the DOCKER_HOST to use; each start begins with an empty data root (no stale images),
# stop stops only what this script started (by pid) and removes its state.
# Checked on Debian 12 (docker.io 20.10.24, rootlesskit 1.1.0): rootless runs only with the host
# network (slirp4netns cannot create its tap device here, so DOCKERD_ROOTLESS_ROOTLESSKIT_NET=host and
# no port driver) and without cgroups (v1 host), so it accepts memory and pids limits and ignores
# them: VolumeGen refuses to run tools there unless VOLUMEGEN_ALLOW_UNENFORCED_LIMITS=1.
set -euo pipefail

kind="${1:-}"
action="${2:-}"
case "$kind" in userns | rootless | tls | docker20) ;; *) echo "usage: $0 userns|rootless|tls|docker20 start|stop|status" >&2; exit 2 ;; esac
state_dir="${VOLUMEGEN_VARIANT_DIR:-/tmp/volumegen-$kind}"
run_dir="$state_dir/run"
socket="$run_dir/docker.sock"
pid_file="$run_dir/docker.pid"
rootless_user=volumegen-rootless
tls_port="${VOLUMEGEN_TLS_PORT:-23760}"
certs="$state_dir/certs"

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
  [ "$kind" != tls ] || command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  install_packages "$state_dir/apt.log" "${missing[@]}"
}

engine_up() { DOCKER_HOST="unix://$socket" timeout 5 docker info >/dev/null 2>&1; }

# A CA, the engine's certificate (for the address 127.0.0.1 only: "localhost" is another name) and
# client certificates in docker's layout; short-lived, made for this engine only.
make_certs() {
  local ca_dir=$1 name=$2 # a CA in $ca_dir/ca.pem, ca-key.pem
  mkdir -p "$ca_dir"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$ca_dir/ca-key.pem" -out "$ca_dir/ca.pem" -days 2 -subj "/CN=$name" 2>/dev/null
}
sign() { # ca_dir, out_prefix, cn, extensions
  openssl req -newkey rsa:2048 -nodes -keyout "$2-key.pem" -out "$2.csr" -subj "/CN=$3" 2>/dev/null
  printf '%s\n' "$4" >"$2.ext"
  openssl x509 -req -in "$2.csr" -CA "$1/ca.pem" -CAkey "$1/ca-key.pem" -CAcreateserial -days 2 -extfile "$2.ext" -out "$2-cert.pem" 2>/dev/null
}
client_folder() { # folder, trusted ca.pem, client cert prefix
  mkdir -p "$1"
  cp "$2" "$1/ca.pem"
  cp "$3-cert.pem" "$1/cert.pem"
  cp "$3-key.pem" "$1/key.pem"
}
create_certs() {
  make_certs "$certs/ca" volumegen-test-engine-ca
  make_certs "$certs/other-ca" volumegen-test-other-ca
  sign "$certs/ca" "$certs/server" 127.0.0.1 "$(printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth')"
  sign "$certs/ca" "$certs/client" volumegen-worker "extendedKeyUsage=clientAuth"
  sign "$certs/other-ca" "$certs/stranger" volumegen-stranger "extendedKeyUsage=clientAuth"
  client_folder "$certs/client" "$certs/ca/ca.pem" "$certs/client"
  client_folder "$certs/untrusting" "$certs/other-ca/ca.pem" "$certs/client"
  client_folder "$certs/stranger" "$certs/ca/ca.pem" "$certs/stranger"
  chmod -R go-rwx "$certs"
}

start() {
  if [ -f "$pid_file" ] && alive "$(cat "$pid_file")"; then
    endpoint
    return 0
  fi
  as_root rm -rf "$state_dir"
  mkdir -p "$state_dir/data" "$run_dir"
  install_missing
  # No iptables and no bridge, as for the main engine: tools run with network none.
  local daemon_args=(--data-root "$state_dir/data" -H "unix://$socket" --pidfile "$pid_file" --iptables=false --ip6tables=false --bridge=none)
  if [ "$kind" = tls ]; then
    create_certs
    as_root nohup dockerd --exec-root "$state_dir/exec" "${daemon_args[@]}" -H "tcp://127.0.0.1:$tls_port" \
      --tlsverify --tlscacert "$certs/ca/ca.pem" --tlscert "$certs/server-cert.pem" --tlskey "$certs/server-key.pem" >"$state_dir/dockerd.log" 2>&1 &
  elif [ "$kind" = docker20 ]; then
    as_root nohup dockerd --exec-root "$state_dir/exec" "${daemon_args[@]}" >"$state_dir/dockerd.log" 2>&1 &
  elif [ "$kind" = userns ]; then
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
  endpoint
}

# What clients use: the TLS port for the TLS engine (DOCKER_CERT_PATH=$certs/client), else the socket.
endpoint() { if [ "$kind" = tls ]; then echo "tcp://127.0.0.1:$tls_port"; else echo "unix://$socket"; fi; }

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
  status) engine_up ;;
  *) echo "usage: $0 userns|rootless|tls|docker20 start|stop|status" >&2; exit 2 ;;
esac
