#!/usr/bin/env bash
# Runs the whole test suite the way CI does: starts a Docker Engine if none answers (and stops it
# again afterwards), builds warning-free, runs every test project against the real engine, checks
# that nothing with VolumeGen's labels was left behind, and ends with "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."

results=artifacts/test-results
state_dir="${VOLUMEGEN_STATE_DIR:-/tmp/volumegen-engine}"
rm -rf "$results"
mkdir -p "$results"

stop_engine() {
  ./scripts/podman-engine.sh stop >&2 || true
  [ "$started_engine" -eq 1 ] && ./scripts/docker-engine.sh stop >&2
  started_engine=0
}
# The summary is the last line, after the engine this script started has been stopped.
summary() { stop_engine; echo "$1 passed, $2 failed"; }
# Volumes and containers with VolumeGen's labels in the engine DOCKER_HOST selects.
leftovers_in_engine() {
  { docker volume ls -q --filter label=io.volumegen.managed=true; docker ps -aq --filter label=io.volumegen.managed=true; } 2>&1
}
# Counts a check: $1 is its name, $2 what remains (empty: passed).
check() {
  if [ -n "$2" ]; then
    printf 'test: %s FAILED:\n%s\n' "$1" "$2" >&2
    failed=$((failed + 1))
  else
    echo "test: $1 passed"
    passed=$((passed + 1))
  fi
}

started_engine=0
[ -f "$state_dir/dockerd.pid" ] || started_engine=1
if ! ./scripts/docker-engine.sh start; then
  echo "test: no Docker Engine; the integration tests cannot run" >&2
  summary 0 1
  exit 1
fi
[ -f "$state_dir/dockerd.pid" ] || started_engine=0
trap stop_engine EXIT

if ! dotnet build VolumeGen.sln -c Release -nologo -clp:"ErrorsOnly;Summary"; then
  echo "test: the build failed (warnings are errors)" >&2
  summary 0 1
  exit 1
fi

test_exit=0
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" --results-directory "$results" || test_exit=$?
done

# A second engine: a representative subset of the integration tests against Podman's Docker API.
podman_subset="FullyQualifiedName~RoundTrip|FullyQualifiedName~ToolRunTests|FullyQualifiedName~HostileOutput|FullyQualifiedName~HostileTool"
podman_subset="$podman_subset|FullyQualifiedName~Sweeper|FullyQualifiedName~CancellationAndCleanup|FullyQualifiedName~IsolationTests"
podman_subset="$podman_subset|FullyQualifiedName~GeneratedWrapper|FullyQualifiedName~CancellationSweep|FullyQualifiedName~SampleTests"
podman_subset="$podman_subset|FullyQualifiedName~NmapTests|FullyQualifiedName~RealToolTests|FullyQualifiedName~ImageUserTests"
podman_failed=0
if podman_host=$(./scripts/podman-engine.sh start); then
  DOCKER_HOST="$podman_host" dotnet test tests/VolumeGen.Integration.Tests/VolumeGen.Integration.Tests.csproj -c Release --no-build -nologo \
    --filter "$podman_subset" --logger "trx;LogFileName=VolumeGen.Integration.Tests.Podman.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" || test_exit=$?
  podman_leftovers=$(DOCKER_HOST="$podman_host" leftovers_in_engine)
else
  echo "test: Podman could not be started" >&2
  podman_failed=1
fi

passed=0
failed=$podman_failed
trx_count=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  trx_count=$((trx_count + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  attr() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  total=$(attr total); executed=$(attr executed); p=$(attr passed)
  passed=$((passed + p))
  # Everything that did not pass is a failure, skipped or not executed included.
  failed=$((failed + total - p))
  [ "$executed" -eq "$total" ] || echo "test: $((total - executed)) test(s) in $trx did not run" >&2
done
if [ "$trx_count" -eq 0 ] || { [ "$test_exit" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  echo "test: dotnet test failed (exit $test_exit) without a per-test failure" >&2
  failed=$((failed + 1))
fi

# The package a user installs: generator and analyzers must work from the .nupkg alone.
check "package check" "$(./scripts/check-package.sh >&2 || echo "see above")"

# After the suite, nothing with the library's labels may remain in either engine.
[ "$podman_failed" -ne 0 ] || check "Podman leftover check" "$podman_leftovers"
check "leftover check (no VolumeGen volume or container remains)" "$(leftovers_in_engine)"

summary "$passed" "$failed"
[ "$failed" -eq 0 ]
