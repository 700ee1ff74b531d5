using System.Collections.Concurrent;

namespace VolumeGen.Sweeping;

/// <summary>
/// Volumes this process gave up removing (<see cref="VolumeCleanupException"/>). Their owner label
/// names a live process, which normally protects a volume from the sweeper; these belong to runs
/// that are over, so a sweep in this process may remove them.
/// </summary>
internal static class AbandonedVolumes
{
    private static readonly ConcurrentDictionary<string, byte> Names = new(StringComparer.Ordinal);

    public static void Add(string name) => Names[name] = 0;

    public static void Remove(string name) => Names.TryRemove(name, out _);

    public static bool Contains(string name) => Names.ContainsKey(name);
}
