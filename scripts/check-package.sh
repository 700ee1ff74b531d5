#!/usr/bin/env bash
# Packs VolumeGen into one NuGet package and consumes it like a user would: a project with only a
# package reference (no TreatWarningsAsErrors) must get the generated RunAsync (generator in the
# package) and a VG0001 error for a leaked volume (analyzers in the package), also in an editor's
# language server (csharp-ls). Uses a unique version and a private package
# folder so no cached older package can answer instead.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version="0.0.0-check.$(date +%s)"

dotnet pack src/Runtime -c Release -nologo -o "$work/feed" -p:MinVerVersionOverride="$version" >"$work/pack.log" 2>&1 || { cat "$work/pack.log"; exit 1; }
# Listed once into a variable: `unzip | grep -q` under pipefail fails when grep stops reading early.
listing=$(unzip -l "$work/feed/VolumeGen.$version.nupkg")
for entry in lib/net10.0/VolumeGen.dll analyzers/dotnet/cs/VolumeGen.Generator.dll analyzers/dotnet/cs/VolumeGen.Analyzers.dll analyzers/dotnet/cs/VolumeGen.CodeFixes.dll; do
  grep -q " $entry\$" <<<"$listing" || { echo "package: $entry is missing"; exit 1; }
done

consume() { # $1: source file; prints the build output
  local dir="$work/$(basename "$1" .cs.txt)"
  mkdir -p "$dir"
  sed "s/@VERSION@/$version/" tests/PackageConsumer/PackageConsumer.csproj.template >"$dir/Consumer.csproj"
  cp "tests/PackageConsumer/$1" "$dir/Program.cs"
  cat >"$dir/nuget.config" <<CONFIG
<configuration><packageSources><add key="volumegen-local" value="$work/feed" /></packageSources></configuration>
CONFIG
  (cd "$dir" && dotnet build -nologo -p:RestorePackagesPath="$work/packages" 2>&1)
}

valid=$(consume Valid.cs.txt) || { echo "$valid"; echo "package: a valid consumer does not build"; exit 1; }
leaky=$(consume Leaky.cs.txt) && { echo "package: a leaked volume built without VG0001"; exit 1; }
grep -q "error VG0001" <<<"$leaky" || { echo "$leaky"; echo "package: the build failed, but not with VG0001"; exit 1; }

# In a real language server: csharp-ls (a dotnet tool from the feed) with csharp.analyzersEnabled
# publishes VG0001 from the package's analyzers for the leaky file, driven over stdio by a small client.
dotnet tool install csharp-ls --version 0.28.0 --tool-path "$work/tools" >"$work/tool.log" 2>&1 || { cat "$work/tool.log"; exit 1; }
python3 scripts/lsp-check.py "$work/tools/csharp-ls" "$work/Leaky" Program.cs VG0001 300

# In an IDE that loads package code fixes: MSBuildWorkspace opens the leaky consumer, takes the fix
# providers from its analyzer references (the package), applies the VG0001 fix and compiles the result.
dotnet run -c Release --project tests/IdeFixCheck -- "$work/Leaky/Consumer.csproj" VG0001

# Every package at the version git gives this commit (MinVer): the same for all three, and one that
# names this commit's height, so the next commit packs another version.
./scripts/pack.sh "$work/all" >/dev/null
# MinVer's height: commits since the last vX.Y.Z tag, or since the root commit (height 0) before any.
if tag=$(git describe --tags --abbrev=0 --match 'v[0-9]*' 2>/dev/null); then
  height=$(git rev-list --count "$tag"..HEAD)
else
  height=$(($(git rev-list --count HEAD) - 1))
fi
packed=$(cd "$work/all" && ls *.nupkg | sort | tr '\n' ' ')
for id in VolumeGen VolumeGen.Cli VolumeGen.Hosting; do
  ls "$work/all/$id".[0-9]*.nupkg >/dev/null 2>&1 || { echo "package: pack.sh made no $id package ($packed)"; exit 1; }
done
versions=$(cd "$work/all" && ls *.nupkg | sed -E 's/^VolumeGen(\.Cli|\.Hosting)?\.//; s/\.nupkg$//' | sort -u)
[ "$(wc -l <<<"$versions")" -eq 1 ] || { echo "package: the packages have different versions: $versions"; exit 1; }
case "$versions" in
  *-alpha.0.$height) ;;
  *-*) echo "package: version $versions does not come from this commit (height $height)"; exit 1 ;;
  *) [ "$height" -eq 0 ] || { echo "package: release version $versions on a commit $height after its tag"; exit 1; } ;;
esac

echo "package: pack.sh made $packed(version $versions from git, height $height)"
echo "package: VolumeGen.$version.nupkg holds the library, generator, analyzers and code fixes; a consumer gets RunAsync and VG0001, also in csharp-ls, and the package's fix repairs it in an MSBuildWorkspace"
