using System.Globalization;

namespace VolumeGen;

/// <summary>
/// The numeric user and group a tool container runs as, and therefore who must own its volumes:
/// with every capability dropped, even root has no DAC override, so only the owner can read inputs
/// (mode 0640) and write outputs (0750). Resolve it with <see cref="ContainerToolRunner.ResolveUserAsync"/>.
/// </summary>
/// <param name="Uid">The numeric user ID.</param>
/// <param name="Gid">The numeric primary group ID.</param>
public readonly record struct ToolUser(int Uid, int Gid)
{
    /// <summary>The user tools run as when their image would run them as root: distroless "nonroot", 65532:65532.</summary>
    public static ToolUser NonRoot { get; } = new(IsolatedVolumeOptions.NonRootId, IsolatedVolumeOptions.NonRootId);

    /// <summary>Root (0:0); only ever used when a tool asks for it explicitly.</summary>
    public static ToolUser Root { get; } = new(0, 0);

    /// <summary>True for uid 0.</summary>
    public bool IsRoot => Uid == 0;

    /// <summary>Docker's <c>User</c> form, <c>uid:gid</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Uid}:{Gid}");
}
