#!/usr/bin/env bash
# The analyzers' cost on a real build: a generated project with 1,000 methods that create, fill,
# mount and clean up volumes in the everyday shapes (await using, try/finally, the generated pattern,
# helpers, loops, lambdas, Docker.DotNet mounts), built with `dotnet build --no-incremental` with
# VolumeGen's analyzers and without them, alternately, several times; prints the medians and the
# ratio (goal: at most 1.10). A measurement, not a test: nothing fails on the number.
# Usage: scripts/analyzer-build-cost.sh [rounds]   (needs `dotnet build -c Release` of the repo first)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
rounds=${1:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
runtime="$repo/src/Runtime/bin/Release/net10.0/VolumeGen.dll"
analyzers="$repo/src/Analyzers/bin/Release/netstandard2.0/VolumeGen.Analyzers.dll"
[[ -f "$runtime" && -f "$analyzers" ]] || { echo "build the repo first: dotnet build VolumeGen.sln -c Release" >&2; exit 2; }
docker_dotnet=$(sed -n 's|.*"Docker.DotNet.Enhanced" Version="\([^"]*\)".*|\1|p' Directory.Packages.props)

cat > "$work/Cost.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <!-- Only VolumeGen's analyzers are measured: the SDK's own stay off in both builds. -->
    <EnableNETAnalyzers>false</EnableNETAnalyzers>
  </PropertyGroup>
  <ItemGroup>
    <Reference Include="$runtime" />
    <PackageReference Include="Docker.DotNet.Enhanced" Version="$docker_dotnet" />
  </ItemGroup>
  <ItemGroup Condition="'\$(WithVolumeGenAnalyzers)' == 'true'">
    <Analyzer Include="$analyzers" />
  </ItemGroup>
</Project>
PROJ

for file in $(seq 0 19); do
  {
    echo "using Docker.DotNet.Models;"
    echo "using VolumeGen;"
    echo "namespace Cost;"
    echo "public class Work$file(ContainerToolRunner runner)"
    echo "{"
    echo "    private static Task UseAsync(IsolatedContainerVolume v) => Task.CompletedTask;"
    for m in $(seq 0 49); do
      case $((m % 8)) in
        0) cat <<CS
    public async Task M$m(string t, string r, Dictionary<string, string> files)
    {
        await using var input = new IsolatedContainerVolume(t, r);
        await input.InitializeAsync(files);
        await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs")] });
    }
CS
        ;;
        1) cat <<CS
    public async Task<string> M$m(string t, string r, Dictionary<string, string> files)
    {
        var input = new IsolatedContainerVolume(t, r + "-in");
        var output = new IsolatedContainerVolume(t, r + "-out");
        Exception? failure = null;
        try
        {
            await Task.WhenAll(input.InitializeAsync(files), output.InitializeAsync([]));
            await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [input.GetVolumeConfig("/inputs"), output.GetVolumeConfig("/outputs", false)] });
            return (await output.ReadFilesAsync(["out.txt"]))["out.txt"];
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            await VolumeCleanup.CleanupAsync(failure, input, output);
        }
    }
CS
        ;;
        2) cat <<CS
    public async Task M$m(string t, string r, Dictionary<string, string> files)
    {
        foreach (var file in files)
        {
            await using var v = new IsolatedContainerVolume(t, r + file.Key);
            await v.InitializeAsync(new Dictionary<string, string> { [file.Key] = file.Value });
            await UseAsync(v);
        }
    }
CS
        ;;
        3) cat <<CS
    public async Task M$m(string t, string r, Dictionary<string, string> files)
    {
        IsolatedContainerVolume? v = null;
        try
        {
            v = new IsolatedContainerVolume(t, r);
            await v.InitializeAsync(files);
            if (files.Count > 3) return;
            await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [v.GetVolumeConfig("/data")] });
        }
        finally
        {
            if (v is not null) await v.CleanupAsync();
        }
    }
CS
        ;;
        4) cat <<CS
    public async Task M$m(string t, string r, Dictionary<string, string> files) =>
        await Task.WhenAll(files.Keys.Select(async key =>
        {
            await using var v = new IsolatedContainerVolume(t, r + key);
            await v.InitializeAsync(files);
        }));
CS
        ;;
        5) cat <<CS
    public HostConfig M$m(IsolatedContainerVolume v, string socket) => new()
    {
        Binds = [\$"{v.Name}:/data:ro", \$"{socket}:/var/run/docker.sock"],
        Mounts = [new Mount { Type = "volume", Source = v.Name, Target = "/more", ReadOnly = true }],
    };
CS
        ;;
        6) cat <<CS
    public async Task<int> M$m(string t, string r, string name)
    {
        var names = new List<string> { "a.txt", \$"reports/{name}.json" };
        await using var v = new IsolatedContainerVolume(t, r);
        await v.InitializeAsync(new Dictionary<string, string> { ["in/" + name] = "x" });
        var found = await v.ReadFilesAsync(names);
        return found.Count;
    }
CS
        ;;
        7) cat <<CS
    public async Task M$m(string t, string r, Dictionary<string, string> files, bool ok)
    {
        var v = new IsolatedContainerVolume(t, r);
        try
        {
            await v.InitializeAsync(files);
            var x = ok ? 1 : 2;
            for (var i = 0; i < x; i++) { await runner.RunAsync(new ToolRunSpec("tool:1") { Mounts = [v.GetVolumeConfig("/inputs")] }); }
        }
        catch (TimeoutException) when (ok)
        {
            Console.WriteLine("timeout");
            throw;
        }
        finally
        {
            await v.CleanupAsync().ConfigureAwait(false);
        }
    }
CS
        ;;
      esac
    done
    echo "}"
  } > "$work/Work$file.cs"
done

build() { # $1 = true|false; prints seconds
  local start end
  start=$(date +%s.%N)
  dotnet build "$work/Cost.csproj" -c Release --no-restore --no-incremental -nologo -v quiet -p:WithVolumeGenAnalyzers="$1" >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

dotnet restore "$work/Cost.csproj" -nologo -v quiet >/dev/null
build true >/dev/null; build false >/dev/null # warm the compiler server
with=(); without=()
for _ in $(seq "$rounds"); do
  with+=("$(build true)")
  without+=("$(build false)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
w=$(median "${with[@]}"); wo=$(median "${without[@]}")
echo "analyzer build cost: 1,000 methods, $rounds rounds, median seconds"
echo "build_with_analyzers_s=$w"
echo "build_without_analyzers_s=$wo"
echo "ratio_with_vs_without=$(echo "scale=3; $w / $wo" | bc)"

# The number means something only if the analyzers really ran: a leak must fail the build with them.
cat > "$work/Leak.cs" <<'CS'
namespace Cost;
public static class Leak
{
    public static async Task M(string t, Dictionary<string, string> files) => await new VolumeGen.IsolatedContainerVolume(t, "r").InitializeAsync(files);
}
CS
if dotnet build "$work/Cost.csproj" -c Release --no-restore -nologo -v quiet -p:WithVolumeGenAnalyzers=true >"$work/build.log" 2>&1 || ! grep -q VG0001 "$work/build.log"; then
  echo "the analyzers did not run in the measured build" >&2
  exit 1
fi
