#!/usr/bin/env bash
# Starts and stops the message broker of the fleet tests and of the hosted worker's broker mode:
# Debian's rabbitmq-server (3.10) as a plain process of this user, not a system service, listening on
# 127.0.0.1 only, with its own node name, ports, data and Erlang cookie under $state_dir.
#   rabbitmq.sh start    prints the AMQP URI; writes $state_dir/env (VOLUMEGEN_BROKER_URI)
#   rabbitmq.sh stop     stops what start started (the node and its epmd) and removes its state
#   rabbitmq.sh restart  stops the node and starts it again on the same data (queues survive)
#   rabbitmq.sh status   whether the node answers
set -euo pipefail

action="${1:-}"
state_dir="${VOLUMEGEN_BROKER_DIR:-/tmp/volumegen-broker}"
port="${VOLUMEGEN_BROKER_PORT:-5673}"
node="volumegen@localhost"

# shellcheck source=engine-common.sh
. "$(dirname "$0")/engine-common.sh"

# The node's own environment: nothing shared with a system RabbitMQ (ports, data, cookie, epmd).
broker_env() {
  export HOME="$state_dir/home" RABBITMQ_NODENAME="$node" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port" \
    RABBITMQ_DIST_PORT=$((port + 20000)) ERL_EPMD_PORT=$((port - 1000)) ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_MNESIA_BASE="$state_dir/mnesia" RABBITMQ_LOG_BASE="$state_dir/log" RABBITMQ_PID_FILE="$state_dir/rabbitmq.pid" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$state_dir/enabled_plugins" RABBITMQ_CONFIG_FILE="$state_dir/rabbitmq" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$state_dir/advanced.config" RABBITMQ_CONF_ENV_FILE="$state_dir/rabbitmq-env.conf"
}
ctl() { (broker_env; /usr/lib/rabbitmq/bin/rabbitmqctl -n "$node" "$@"); }
up() { [ -d "$state_dir" ] && ctl status >/dev/null 2>&1 && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

run_node() {
  mkdir -p "$state_dir/home" "$state_dir/log"
  (
    broker_env
    cd "$state_dir"
    nohup /usr/lib/rabbitmq/bin/rabbitmq-server >"$state_dir/server.log" 2>&1 &
    echo $! >"$state_dir/server.pid"
  )
  # About 20 s on this machine; a start that takes minutes means something is wrong.
  wait_for_engine "broker" "$state_dir/server.log" "$(cat "$state_dir/server.pid")" 120 up >&2
}

start() {
  if up; then
    echo "amqp://guest:guest@127.0.0.1:$port/"
    return 0
  fi
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || install_packages "$state_dir.apt.log" rabbitmq-server
  mkdir -p "$state_dir"
  echo "[]." >"$state_dir/enabled_plugins"
  echo "[]." >"$state_dir/advanced.config"
  : >"$state_dir/rabbitmq-env.conf"
  # guest may only log in from loopback, which is all the node listens on.
  cat >"$state_dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$port
loopback_users.guest = true
log.console = true
log.file = false
CONF
  run_node
  echo "VOLUMEGEN_BROKER_URI=amqp://guest:guest@127.0.0.1:$port/" >"$state_dir/env"
  echo "amqp://guest:guest@127.0.0.1:$port/"
}

stop_node() {
  ctl stop >/dev/null 2>&1 || true
  stop_by_pid "$state_dir/server.pid" "broker"
  (broker_env; epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1) || true
}

case "$action" in
  start) start ;;
  stop) [ -d "$state_dir" ] && stop_node; rm -rf "$state_dir" ;;
  restart) stop_node; run_node ;;
  status) up ;;
  *) echo "usage: $0 start|stop|restart|status" >&2; exit 2 ;;
esac
