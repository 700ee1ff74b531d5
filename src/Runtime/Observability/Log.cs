using Microsoft.Extensions.Logging;

namespace VolumeGen.Observability;

/// <summary>Every log message VolumeGen writes, as source-generated, allocation-free calls.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Created volume {Volume} for tenant {Tenant}, run {Run}")]
    public static partial void VolumeCreated(ILogger logger, string volume, string tenant, string run);

    [LoggerMessage(2, LogLevel.Debug, "Wrote {Count} file(s), {Bytes} byte(s) into volume {Volume} in {ElapsedMs} ms")]
    public static partial void FilesWritten(ILogger logger, int count, long bytes, string volume, long elapsedMs);

    [LoggerMessage(3, LogLevel.Debug, "Read {Count} file(s), {Bytes} byte(s) from volume {Volume}")]
    public static partial void FilesRead(ILogger logger, int count, long bytes, string volume);

    [LoggerMessage(4, LogLevel.Debug, "Removed volume {Volume}")]
    public static partial void VolumeRemoved(ILogger logger, string volume);

    [LoggerMessage(5, LogLevel.Warning, "Removing volume {Volume} failed (attempt {Attempt} of {Attempts}); retrying")]
    public static partial void VolumeRemovalRetry(ILogger logger, Exception exception, string volume, int attempt, int attempts);

    [LoggerMessage(6, LogLevel.Error, "Volume {Volume} could not be removed; it is left for the orphan sweeper")]
    public static partial void VolumeLeaked(ILogger logger, Exception exception, string volume);

    [LoggerMessage(7, LogLevel.Warning, "Initializing volume {Volume} failed; removing what was created")]
    public static partial void InitializeFailed(ILogger logger, Exception exception, string volume);

    [LoggerMessage(8, LogLevel.Information, "Tool {Image} for tenant {Tenant}, run {Run} exited with {ExitCode} after {ElapsedMs} ms")]
    public static partial void ToolExited(ILogger logger, string image, string? tenant, string? run, long exitCode, long elapsedMs);

    [LoggerMessage(9, LogLevel.Warning, "Tool {Image} for tenant {Tenant}, run {Run} timed out after {ElapsedMs} ms; killed and removed")]
    public static partial void ToolTimedOut(ILogger logger, string image, string? tenant, string? run, long elapsedMs);

    [LoggerMessage(10, LogLevel.Information, "Sweeper removed {Kind} {Name}")]
    public static partial void SweptResource(ILogger logger, string kind, string name);

    [LoggerMessage(11, LogLevel.Warning, "Sweeper could not remove {Kind} {Name}")]
    public static partial void SweepFailed(ILogger logger, Exception exception, string kind, string name);

    [LoggerMessage(12, LogLevel.Warning, "The Docker engine does not enforce memory or pids limits; running the tool anyway, as allowed by AllowUnenforcedResourceLimits")]
    public static partial void LimitsNotEnforced(ILogger logger);

    [LoggerMessage(13, LogLevel.Warning, "Background cleanup could not remove volume {Volume}; it is left to the sweeper")]
    public static partial void BackgroundCleanupFailed(ILogger logger, Exception exception, string volume);

    [LoggerMessage(15, LogLevel.Warning, "The tool container {Container} of a failed run could not be removed (attached to the run's error); the removal of its volumes takes it")]
    public static partial void ToolRemovalFailed(ILogger logger, Exception exception, string container);

    [LoggerMessage(16, LogLevel.Warning, "Volume {Volume} holds more than the requested outputs ({Reason}); reading each output through its own archive")]
    public static partial void UnrequestedOutputs(ILogger logger, string volume, string reason);

    [LoggerMessage(17, LogLevel.Information, "Pulling image {Reference} (credentials: {CredentialSource})")]
    public static partial void ImagePullStarted(ILogger logger, string reference, string credentialSource);

    [LoggerMessage(18, LogLevel.Debug, "Pull of {Reference}: layer {Layer} {Status}")]
    public static partial void ImagePullProgress(ILogger logger, string reference, string layer, string status);

    [LoggerMessage(19, LogLevel.Information, "Pulled image {Reference}: {Bytes} byte(s) downloaded in {ElapsedMs} ms")]
    public static partial void ImagePulled(ILogger logger, string reference, long bytes, long elapsedMs);

    [LoggerMessage(20, LogLevel.Warning, "Pulling image {Reference} failed")]
    public static partial void ImagePullFailed(ILogger logger, Exception exception, string reference);

    [LoggerMessage(21, LogLevel.Warning, "The credential helper for {Registry} failed ({Failure}); going on with the config file's credentials, as the docker CLI does")]
    public static partial void CredentialHelperFailed(ILogger logger, string registry, string failure);
}
