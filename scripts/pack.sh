#!/usr/bin/env bash
# Packs every VolumeGen package into one folder (default artifacts/packages), at the version MinVer
# computes from git (see Directory.Build.props): VolumeGen (the runtime, with the generator, the
# analyzers and the code fixes in analyzers/dotnet/cs), VolumeGen.Hosting (DI, hosted sweeper, health
# check) and VolumeGen.Cli (the `volumegen` dotnet tool). Prints the packages it made.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/packages}"
mkdir -p "$out"
for project in src/Runtime src/Hosting src/Cli; do
  dotnet pack "$project" -c Release -nologo -o "$out" >"$out/pack.log" 2>&1 || { cat "$out/pack.log" >&2; exit 1; }
done
rm -f "$out/pack.log"
ls "$out"/*.nupkg
