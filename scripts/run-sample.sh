#!/usr/bin/env bash
# The main job: starts a Docker Engine if none answers, runs the DNS-resolver sample end to end
# (volumes created, files written, tool run, outputs read, volumes removed, with timings), and stops
# the engine again if this script started it.
set -euo pipefail
cd "$(dirname "$0")/.."
state_dir="${VOLUMEGEN_STATE_DIR:-/tmp/volumegen-engine}"

started_engine=0
[ -f "$state_dir/dockerd.pid" ] || started_engine=1
./scripts/docker-engine.sh start
[ -f "$state_dir/dockerd.pid" ] || started_engine=0
if [ "$started_engine" -eq 1 ] && [ "${KEEP_ENGINE:-0}" != 1 ]; then
  trap './scripts/docker-engine.sh stop' EXIT
fi

dotnet run --project samples/DnsResolver -c Release -- "$@"
