#!/usr/bin/env bash
# Starts and stops a private image registry for the tests, as users run one: Debian's docker-registry
# (distribution 2.8.2) serving TLS with htpasswd authentication.
#   registry.sh start    prints the registry's host:port; writes $state_dir/env (VOLUMEGEN_TEST_REGISTRY*)
#   registry.sh stop     stops what start started and removes its state and the engines' trust in it
#   registry.sh status   whether it answers
# Why not 127.0.0.1: dockerd treats 127.0.0.0/8 as an insecure registry range it cannot be told to drop,
# so on loopback it would skip certificate verification (and fall back to plain HTTP): the trust tests
# would prove nothing. The registry listens on $VOLUMEGEN_REGISTRY_IP (10.213.0.1), an address this
# script adds to the loopback interface: local only, not in the insecure range, checked by the engines.
# Trusted through /etc/docker/certs.d/HOST:PORT/ca.crt (Docker, read at each pull: no restart) and
# /etc/containers/certs.d/HOST:PORT/ca.crt (Podman). A second registry on the next port has a
# certificate of a CA nobody trusts (the untrusted-certificate case); the port after that is closed;
# the next one is a trusted TLS server that accepts connections and never answers (a stalled pull).
set -euo pipefail

action="${1:-}"
state_dir="${VOLUMEGEN_REGISTRY_DIR:-/tmp/volumegen-registry}"
ip="${VOLUMEGEN_REGISTRY_IP:-10.213.0.1}"
port="${VOLUMEGEN_REGISTRY_PORT:-5443}"
untrusted_port=$((port + 1))
stalling_port=$((port + 3))
address="$ip:$port"
user=volumegen
trust_dirs=("/etc/docker/certs.d/$address" "/etc/containers/certs.d/$address" "/etc/docker/certs.d/$ip:$stalling_port" "/etc/containers/certs.d/$ip:$stalling_port")

# shellcheck source=engine-common.sh
. "$(dirname "$0")/engine-common.sh"

up() { curl -fsS --max-time 5 --cacert "$state_dir/ca/ca.pem" -u "$user:$(cat "$state_dir/password")" "https://$address/v2/" >/dev/null 2>&1; }

# A CA and a server certificate for the registry's IP address.
make_certs() { # dir, cn
  mkdir -p "$1"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/ca-key.pem" -out "$1/ca.pem" -days 2 -subj "/CN=$2 CA" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$1/key.pem" -out "$1/server.csr" -subj "/CN=$ip" 2>/dev/null
  printf 'subjectAltName=IP:%s\nextendedKeyUsage=serverAuth\n' "$ip" >"$1/server.ext"
  openssl x509 -req -in "$1/server.csr" -CA "$1/ca.pem" -CAkey "$1/ca-key.pem" -CAcreateserial -days 2 -extfile "$1/server.ext" -out "$1/cert.pem" 2>/dev/null
}

write_config() { # name, port, cert dir
  cat >"$state_dir/$1.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $state_dir/data
  delete:
    enabled: true
http:
  addr: $ip:$2
  secret: $(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  tls:
    certificate: $3/cert.pem
    key: $3/key.pem
auth:
  htpasswd:
    realm: volumegen-tests
    path: $state_dir/htpasswd
EOF
}

start() {
  if [ -f "$state_dir/registry.pid" ] && alive "$(cat "$state_dir/registry.pid")" && up; then
    echo "$address"
    return 0
  fi
  mkdir -p "$state_dir"
  local missing=()
  command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  install_packages "$state_dir/apt.log" "${missing[@]}"

  if ! ip -4 addr show dev lo | grep -q "inet $ip/"; then
    as_root ip addr add "$ip/32" dev lo
    touch "$state_dir/added-address"
  fi
  make_certs "$state_dir/ca" "VolumeGen test registry"
  make_certs "$state_dir/untrusted" "Nobody's"
  head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$state_dir/password"
  # htpasswd with bcrypt (the only hash distribution accepts), without apache2-utils.
  python3 -c 'import crypt,sys; print(sys.argv[1] + ":" + crypt.crypt(sys.argv[2], crypt.mksalt(crypt.METHOD_BLOWFISH)))' \
    "$user" "$(cat "$state_dir/password")" 2>/dev/null >"$state_dir/htpasswd"
  mkdir -p "$state_dir/data"
  write_config registry "$port" "$state_dir/ca"
  write_config untrusted "$untrusted_port" "$state_dir/untrusted"
  for dir in "${trust_dirs[@]}"; do
    as_root mkdir -p "$dir"
    as_root cp "$state_dir/ca/ca.pem" "$dir/ca.crt"
  done

  for name in registry untrusted; do
    nohup docker-registry serve "$state_dir/$name.yml" >"$state_dir/$name.log" 2>&1 &
    echo $! >"$state_dir/$name.pid"
  done
  # The stalled registry: completes TLS handshakes, holds the connections, says nothing.
  nohup python3 -c '
import socket, ssl, sys
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[3], sys.argv[4])
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((sys.argv[1], int(sys.argv[2])))
server.listen(64)
held = []
while True:
    connection, _ = server.accept()
    try:
        connection.settimeout(10)
        held.append(context.wrap_socket(connection, server_side=True))
    except Exception:
        connection.close()
' "$ip" "$stalling_port" "$state_dir/ca/cert.pem" "$state_dir/ca/key.pem" >"$state_dir/stalling.log" 2>&1 &
  echo $! >"$state_dir/stalling.pid"
  wait_for_engine "registry" "$state_dir/registry.log" "$(cat "$state_dir/registry.pid")" 60 up >&2
  cat >"$state_dir/env" <<EOF
VOLUMEGEN_TEST_REGISTRY=$address
VOLUMEGEN_TEST_REGISTRY_UNTRUSTED=$ip:$untrusted_port
VOLUMEGEN_TEST_REGISTRY_CLOSED=$ip:$((port + 2))
VOLUMEGEN_TEST_REGISTRY_STALLING=$ip:$stalling_port
VOLUMEGEN_TEST_REGISTRY_USER=$user
VOLUMEGEN_TEST_REGISTRY_PASSWORD=$(cat "$state_dir/password")
VOLUMEGEN_TEST_REGISTRY_CA=$state_dir/ca/ca.pem
EOF
  echo "$address"
}

stop() {
  for name in registry untrusted stalling; do
    stop_by_pid "$state_dir/$name.pid" "$name"
  done
  for dir in "${trust_dirs[@]}"; do
    as_root rm -rf "$dir"
  done
  if [ -f "$state_dir/added-address" ]; then
    as_root ip addr del "$ip/32" dev lo 2>/dev/null || true
  fi
  rm -rf "$state_dir"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  status) up ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
