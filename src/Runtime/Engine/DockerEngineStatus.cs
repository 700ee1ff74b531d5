namespace VolumeGen.Engine;

/// <summary>What the engine the options select is, asked without creating anything (health checks, <c>volumegen doctor</c>).</summary>
internal static class DockerEngineStatus
{
    public static async Task<EngineStatus> CheckAsync(DockerConnectionOptions options, CancellationToken cancellationToken)
    {
        var api = await DockerConnections.GetApiAsync(options, cancellationToken).ConfigureAwait(false);
        var engine = await api.DescribeAsync(cancellationToken).ConfigureAwait(false);
        var profile = await EngineProfile.ForAsync(api, cancellationToken).ConfigureAwait(false);
        var helper = (options as IsolatedVolumeOptions ?? IsolatedVolumeOptions.Default).HelperImage;
        var helperPresent = await api.InspectImageAsync(helper, cancellationToken).ConfigureAwait(false) is not null;
        return new EngineStatus(
            options.ResolvedEndpoint, profile.Name, engine.Version, api.NegotiatedApiVersion?.ToString() ?? engine.ApiVersion,
            profile.EnforcesResourceLimits, helper, helperPresent);
    }
}
