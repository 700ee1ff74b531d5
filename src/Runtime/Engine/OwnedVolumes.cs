using System.Collections.Concurrent;

namespace VolumeGen.Engine;

/// <summary>
/// The volumes this process created and has not cleaned up, with their instance labels. Labels
/// alone prove nothing (anyone with the socket can create a volume carrying VolumeGen's labels);
/// this registry is what lets the runner mount only volumes VolumeGen itself made.
/// </summary>
internal static class OwnedVolumes
{
    private static readonly ConcurrentDictionary<string, string> Instances = new(StringComparer.Ordinal);

    public static void Add(string name, string instance) => Instances[name] = instance;

    public static void Remove(string name) => Instances.TryRemove(name, out _);

    public static bool IsOwned(string name, string? instance) =>
        instance is not null && Instances.TryGetValue(name, out var known) && known == instance;
}
