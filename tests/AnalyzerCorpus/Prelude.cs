// Shared by every corpus file: what the cases call. Not a case itself.
global using System;
global using System.Collections.Generic;
global using System.IO;
global using System.Linq;
global using System.Threading;
global using System.Threading.Channels;
global using System.Threading.Tasks;
global using Docker.DotNet.Models;
global using VolumeGen;

namespace Corpus;

public static class Helpers
{
    public static Task UseAsync(IsolatedContainerVolume volume) => Task.CompletedTask;

    public static Task CleanupQuietlyAsync(IsolatedContainerVolume volume) => volume.CleanupAsync();

    public static ToolRunSpec Spec(params VolumeMount[] mounts) => new("tool:1") { Mounts = mounts };

    public static Dictionary<string, string> Files() => new() { ["domains.txt"] = "example.com" };
}

public sealed class Holder : IAsyncDisposable
{
    public IsolatedContainerVolume? Volume { get; set; }

    public List<IsolatedContainerVolume> All { get; } = [];

    public async ValueTask DisposeAsync()
    {
        if (Volume is not null)
        {
            await Volume.CleanupAsync();
        }
    }
}
