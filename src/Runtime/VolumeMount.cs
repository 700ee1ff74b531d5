namespace VolumeGen;

/// <summary>
/// A named Docker volume mounted into a tool container. <see cref="Source"/> is a volume name,
/// never a host path: host paths resolve on the daemon's side and break under Docker-in-Docker.
/// </summary>
/// <param name="Source">The Docker volume name.</param>
/// <param name="Target">The absolute path inside the container.</param>
/// <param name="ReadOnly">Whether the container may only read the volume.</param>
public sealed record VolumeMount(string Source, string Target, bool ReadOnly);
