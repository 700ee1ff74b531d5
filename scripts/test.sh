#!/usr/bin/env bash
# Runs the whole test suite the way CI does: starts a Docker Engine if none answers (and stops it
# again afterwards), builds warning-free, runs every test project against the real engine, checks
# that nothing with VolumeGen's labels was left behind, and ends with "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

stop_engine() {
  ./scripts/podman-engine.sh stop >&2 || true
  ./scripts/docker-variant-engine.sh userns stop >&2 || true
  ./scripts/docker-variant-engine.sh rootless stop >&2 || true
  ./scripts/docker-variant-engine.sh tls stop >&2 || true
  ./scripts/docker-variant-engine.sh docker20 stop >&2 || true
  [ "$started_registry" -eq 1 ] && ./scripts/registry.sh stop >&2
  started_registry=0
  [ "$started_broker" -eq 1 ] && ./scripts/rabbitmq.sh stop >&2
  started_broker=0
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

# Stop afterwards exactly what this run started: an engine that answers now is someone else's (or
# an earlier run's), whatever pid file a killed run may have left behind.
started_engine=0
started_registry=0
started_broker=0
./scripts/docker-engine.sh status >/dev/null 2>&1 || started_engine=1
if ! ./scripts/docker-engine.sh start; then
  echo "test: no Docker Engine; the integration tests cannot run" >&2
  summary 0 1
  exit 1
fi
trap stop_engine EXIT
# The private registry the pull tests push to and pull from (TLS, htpasswd), for every engine.
./scripts/registry.sh status >/dev/null 2>&1 || started_registry=1
if ! ./scripts/registry.sh start >/dev/null; then
  echo "test: the test registry could not be started" >&2
  summary 0 1
  exit 1
fi
# The message broker of the fleet tests (RabbitMQ, as a plain process on 127.0.0.1).
./scripts/rabbitmq.sh status >/dev/null 2>&1 || started_broker=1
if ! ./scripts/rabbitmq.sh start >/dev/null; then
  echo "test: the message broker could not be started" >&2
  summary 0 1
  exit 1
fi
# What an earlier, interrupted run left (a killed test host, a crashed worker) is not this run's:
# the leftover check at the end counts only what is new.
leftovers_before=$(leftovers_in_engine | sort)

if ! dotnet build VolumeGen.sln -c Release -nologo -clp:"ErrorsOnly;Summary"; then
  echo "test: the build failed (warnings are errors)" >&2
  summary 0 1
  exit 1
fi

test_exit=0
# The TLS tests need the TLS engine below; they run there, not against the main engine.
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build -nologo --filter "FullyQualifiedName!~TlsEngineTests" \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" --results-directory "$results" || test_exit=$?
done

# More engines: a representative subset of the integration tests against Podman's Docker API and
# against Docker with user namespaces (userns-remap, rootless), each selected with DOCKER_HOST.
subset="FullyQualifiedName~RoundTrip|FullyQualifiedName~ToolRunTests|FullyQualifiedName~ToolRunApiTests|FullyQualifiedName~HostileOutput|FullyQualifiedName~HostileTool"
subset="$subset|FullyQualifiedName~Sweeper|FullyQualifiedName~CancellationAndCleanup|FullyQualifiedName~IsolationTests"
subset="$subset|FullyQualifiedName~GeneratedWrapper|FullyQualifiedName~CancellationSweep|FullyQualifiedName~SampleTests"
subset="$subset|FullyQualifiedName~NmapTests|FullyQualifiedName~RealToolTests|FullyQualifiedName~ImageUserTests|FullyQualifiedName~ResourceLimitTests"
subset="$subset|FullyQualifiedName~TenantSafetyTests|FullyQualifiedName~RealErrorTests|FullyQualifiedName~TransferTests|FullyQualifiedName~OutputDirectoryTests|FullyQualifiedName~VolumeGen.Integration.Tests.Hosting|FullyQualifiedName~OneReadPerRunTests|FullyQualifiedName~OneHelperPerRunTests|FullyQualifiedName~BackgroundCleanupTests|FullyQualifiedName~PipelineTests"
# Security, second round: runc's user lookup and what a tool really gets, hostile images, unrequested output.
subset="$subset|FullyQualifiedName~RuncUserTests|FullyQualifiedName~HostileImageTests|FullyQualifiedName~UnrequestedOutputTests"
# Rootless Docker here has no cgroups: the tests of the limits it ignores cannot hold there (the fork
# bomb would really run), and ResourceLimitTests checks that runs are refused without the opt-in.
rootless_skip="FullyQualifiedName!~The_secure_defaults_confine_the_tool&FullyQualifiedName!~A_fork_bomb_hits_the_pids_limit"
engines_failed=0
engine_leftovers=()
run_on_engine() { # name, start command..., with $filter and $extra_env set by the caller
  local name=$1 host
  shift
  if ! host=$("$@"); then
    echo "test: the $name engine could not be started" >&2
    engines_failed=$((engines_failed + 1))
    return
  fi
  local before
  # shellcheck disable=SC2086 # extra_env is a list of VAR=value words
  before=$(export DOCKER_HOST="$host" $extra_env; leftovers_in_engine | sort)
  env DOCKER_HOST="$host" $extra_env dotnet test tests/VolumeGen.Integration.Tests/VolumeGen.Integration.Tests.csproj -c Release --no-build -nologo \
    --filter "$filter" --logger "trx;LogFileName=VolumeGen.Integration.Tests.$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" || test_exit=$?
  # shellcheck disable=SC2086
  engine_leftovers+=("$name" "$(comm -13 <(echo "$before") <(export DOCKER_HOST="$host" $extra_env; leftovers_in_engine | sort))")
}
# Podman's import takes no HEALTHCHECK, so that image cannot be made there.
podman_skip="FullyQualifiedName!~An_image_healthcheck_never_runs"
# Podman pulls through its own code (containers/image) and trusts /etc/containers/certs.d: the pull tests run there too.
filter="($subset|FullyQualifiedName~RegistryPullTests)&$podman_skip" extra_env="" run_on_engine Podman ./scripts/podman-engine.sh start
# Bookworm's Docker 20.10 (API 1.41), what most Debian 12 hosts run, beside the main engine (trixie's 26.1.5, API 1.45).
filter="$subset|FullyQualifiedName~RegistryPullTests" extra_env="" run_on_engine Docker20 ./scripts/docker-variant-engine.sh docker20 start
filter="$subset" extra_env="" run_on_engine Userns ./scripts/docker-variant-engine.sh userns start
filter="($subset)&$rootless_skip" extra_env="VOLUMEGEN_ALLOW_UNENFORCED_LIMITS=1" run_on_engine Rootless ./scripts/docker-variant-engine.sh rootless start
# A TLS-only engine, as a docker:dind sidecar serves it: the docker CLI's variables select it, the
# TLS tests try every way it can refuse, and a subset proves whole runs (attach, archives) over TLS.
tls_subset="FullyQualifiedName~RoundTrip|FullyQualifiedName~ToolRunApiTests|FullyQualifiedName~HostileOutput|FullyQualifiedName~GeneratedWrapper|FullyQualifiedName~SweeperTests|FullyQualifiedName~OneReadPerRunTests"
filter="FullyQualifiedName~TlsEngineTests|$tls_subset" extra_env="DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=/tmp/volumegen-tls/certs/client" \
  run_on_engine Tls ./scripts/docker-variant-engine.sh tls start

passed=0
failed=$engines_failed
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
# The API reference (docs/api), generated from the XML docs: a broken cref or link fails it.
check "API reference (docfx, no warnings)" "$(./scripts/api-docs.sh >&2 || echo "see above")"

# After the suite, nothing with the library's labels may remain in any engine.
for ((i = 0; i < ${#engine_leftovers[@]}; i += 2)); do
  check "${engine_leftovers[i]} leftover check" "${engine_leftovers[i + 1]}"
done
check "leftover check (no VolumeGen volume or container remains)" "$(comm -13 <(echo "$leftovers_before") <(leftovers_in_engine | sort))"
[ -z "$leftovers_before" ] || echo "test: $(echo "$leftovers_before" | wc -l) volume(s)/container(s) of VolumeGen were there before this run (not counted): $(echo "$leftovers_before" | tr '\n' ' ')" >&2

summary "$passed" "$failed"
[ "$failed" -eq 0 ]
