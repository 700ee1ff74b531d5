using System.Globalization;

namespace VolumeGen.Engine;

/// <summary>
/// The labels on every volume and container VolumeGen creates. Tenant and run are stored exactly:
/// volume names are ambiguous (tenant "a-run-b" run "c" vs tenant "a" run "b-run-c").
/// </summary>
internal sealed class VolumeLabels(string prefix)
{
    public const string RoleVolume = "volume";
    public const string RoleHelper = "helper";
    public const string RoleTool = "tool";
    public const string RoleProbe = "probe";

    /// <summary>
    /// Identifies this process: host, pid, boot ID and start time in clock ticks since boot (a pid
    /// alone gets reused). None of it moves when the wall clock is stepped, unlike a start time
    /// computed from the clock, which would make a live run look dead to the sweeper.
    /// </summary>
    public static readonly string CurrentOwner = ProcessIdentity.Describe(Environment.ProcessId);

    /// <summary>The namespace every label of VolumeGen is in (<c>PREFIX.name</c>).</summary>
    public string Prefix => prefix;

    public string Managed => prefix + ".managed";
    public string Tenant => prefix + ".tenant";
    public string Run => prefix + ".run";
    public string Created => prefix + ".created";
    public string Role => prefix + ".role";
    public string Volume => prefix + ".volume";
    public string Instance => prefix + ".instance";
    public string Owner => prefix + ".owner";

    /// <summary>On volumes: the uid:gid that owns the files, i.e. the only user a tool may run as on it.</summary>
    public string User => prefix + ".user";

    public Dictionary<string, string> For(string role, string? tenantId, string? runId, string? volumeName = null, string? instance = null, ToolUser? user = null)
    {
        var labels = new Dictionary<string, string>
        {
            [Managed] = "true",
            [Role] = role,
            [Created] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            [Owner] = CurrentOwner,
        };
        AddIfSet(labels, Tenant, tenantId);
        AddIfSet(labels, Run, runId);
        AddIfSet(labels, Volume, volumeName);
        AddIfSet(labels, Instance, instance);
        AddIfSet(labels, User, user?.ToString());
        return labels;
    }

    /// <summary>The label filter selecting what VolumeGen manages, optionally for one tenant.</summary>
    public IDictionary<string, IDictionary<string, bool>> Filter(string? tenantId = null, string? volumeName = null)
    {
        var labels = new Dictionary<string, bool> { [Managed + "=true"] = true };
        if (tenantId is not null)
        {
            labels[Tenant + "=" + tenantId] = true;
        }

        if (volumeName is not null)
        {
            labels[Volume + "=" + volumeName] = true;
        }

        return new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels };
    }

    /// <summary>
    /// The filter above, checked on this side too: Podman combines several label filters with OR
    /// where Docker uses AND, and a sweep or cleanup must never act on a resource that is not ours.
    /// </summary>
    public bool Matches(IReadOnlyDictionary<string, string>? labels, string? tenantId = null, string? volumeName = null) =>
        labels is not null
        && labels.TryGetValue(Managed, out var managed) && managed == "true"
        && (tenantId is null || (labels.TryGetValue(Tenant, out var tenant) && tenant == tenantId))
        && (volumeName is null || (labels.TryGetValue(Volume, out var volume) && volume == volumeName));

    /// <summary>The creation time, or null (unknown age) when the label is missing, malformed or out of range.</summary>
    public DateTimeOffset? CreatedAt(IReadOnlyDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(Created, out var text) &&
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) &&
        ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    /// <summary>
    /// True when the owner is a process on this host that is still running. Owners on other hosts
    /// are unknown here (false): age and running containers decide for them.
    /// </summary>
    public bool IsOwnerAlive(IReadOnlyDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(Owner, out var owner) && ProcessIdentity.IsAlive(owner);

    private static void AddIfSet(Dictionary<string, string> labels, string key, string? value)
    {
        if (value is not null)
        {
            labels[key] = value;
        }
    }
}
