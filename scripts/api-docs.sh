#!/usr/bin/env bash
# Builds the API reference from the XML docs of the VolumeGen and VolumeGen.Hosting packages with
# docfx (the repository's dotnet tool manifest pins it): docs/api/reference (metadata) and
# docs/api/_site (the site; open index.html), both generated, never committed. Any docfx warning (a
# broken cref or link) fails the build, as a compiler warning does.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
rm -rf docs/api/_site docs/api/reference
dotnet docfx docs/api/docfx.json --warningsAsErrors
