using System.Diagnostics;
using Docker.DotNet.Models;
using Docker.DotNet;
using Microsoft.Extensions.Logging;
using VolumeGen.Archives;
using VolumeGen.Observability;
using VolumeGen.Validation;

namespace VolumeGen.Engine;

/// <summary>
/// Pulls tool images: one pull per engine and reference at a time, however many runs wait for it
/// (each waiter may give up; the pull goes on for the others); bounded by inactivity (no progress
/// message for <see cref="DockerConnectionOptions.TransferInactivityTimeout"/>), never by its total
/// time; progress in the logs (each layer's state at Debug) and metrics. A failure is an
/// <see cref="ImageNotFoundException"/> or an <see cref="ImagePullFailedException"/> naming the cause.
/// </summary>
internal static class ImagePulls
{
    // The next run asks again: a failure is not remembered, nor is a success (a tag moves).
    private static readonly SingleFlight<(DockerApi Api, string Reference), long> InFlight = new(keepResults: false);

    /// <summary>Pulls <paramref name="reference"/> (or waits for the pull in flight); the layer bytes it downloaded.</summary>
    public static Task<long> PullAsync(
        DockerApi api, string image, ParsedImageReference reference, DockerConnectionOptions options, ILogger logger, CancellationToken cancellationToken) =>
        InFlight.GetAsync((api, reference.PullReference), _ => RunAsync(api, image, reference, options, logger), cancellationToken);

    private static async Task<long> RunAsync(DockerApi api, string image, ParsedImageReference reference, DockerConnectionOptions options, ILogger logger)
    {
        await Task.Yield(); // never run the pull on the first waiter's stack
        var registry = reference.Domain;
        var login = await RegistryAuth.FindAsync(registry, options, CancellationToken.None).ConfigureAwait(false);
        Log.ImagePullStarted(logger, reference.PullReference, login.Source);
        if (login.HelperFailure is { } helperFailure)
        {
            Log.CredentialHelperFailed(logger, registry, helperFailure);
        }

        var metrics = VolumeGenMetrics.For(options.MeterFactory);
        var progress = new PullProgress(logger, metrics, reference.PullReference);
        var stopwatch = Stopwatch.StartNew();
        using var watchdog = new TransferWatchdog(options.TransferInactivityTimeout, CancellationToken.None);
        metrics.PullStarted();
        var outcome = "failed";
        try
        {
            IReadOnlyList<string> errors;
            try
            {
                errors = await api.PullImageAsync(reference.PullReference, login, m =>
                {
                    watchdog.Progress();
                    progress.Report(m);
                }, watchdog.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (watchdog.Stalled)
            {
                throw new ImagePullFailedException(image, registry, ImagePullFailure.Stalled,
                    $"no progress for {options.TransferInactivityTimeout.TotalSeconds:0.#} s (TransferInactivityTimeout)", e);
            }
            catch (DockerApiException e)
            {
                throw Failure(image, registry, login, e.ResponseBody is { Length: > 0 } body ? DockerErrorText(body) : e.Message, e);
            }

            if (errors.Count > 0)
            {
                throw Failure(image, registry, login, string.Join("; ", errors), null);
            }

            outcome = "pulled";
            Log.ImagePulled(logger, reference.PullReference, progress.Bytes, stopwatch.ElapsedMilliseconds);
            return progress.Bytes;
        }
        catch (VolumeGenException e)
        {
            Log.ImagePullFailed(logger, e, reference.PullReference);
            throw;
        }
        finally
        {
            metrics.PullEnded(outcome, stopwatch.Elapsed);
        }
    }

    /// <summary>The engine's own message: its JSON error body's "message", else the body.</summary>
    private static string DockerErrorText(string body)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("message", out var message) ? message.GetString() ?? body : body;
        }
        catch (System.Text.Json.JsonException)
        {
            return body;
        }
    }

    private static VolumeGenException Failure(string image, string registry, RegistryLogin login, string message, Exception? inner)
    {
        var reason = PullFailures.Classify(message);
        if (reason is null)
        {
            return new ImageNotFoundException(image, $"the registry {registry} has no such repository, tag or digest (the engine said: {message})", inner);
        }

        // A refusal after a failed helper is the helper's fault, whatever the registry says.
        return reason == ImagePullFailure.Unauthorized && login.HelperFailure is { } helperFailure
            ? new ImagePullFailedException(image, registry, ImagePullFailure.CredentialHelperFailed, $"{helperFailure}; the registry then refused: {message}", inner)
            : new ImagePullFailedException(image, registry, reason.Value, reason == ImagePullFailure.Unauthorized ? $"{message} (credentials: {login.Source})" : message, inner);
    }

    /// <summary>Each layer's state at Debug when it changes (not every byte's progress), and the bytes downloaded to the metrics.</summary>
    private sealed class PullProgress(ILogger logger, VolumeGenInstruments metrics, string reference)
    {
        private readonly Dictionary<string, (string Status, long Current)> _layers = new(StringComparer.Ordinal);

        public long Bytes { get; private set; }

        public void Report(JSONMessage message)
        {
            if (message.ID is not { Length: > 0 } layer || message.Status is not { Length: > 0 } status)
            {
                return;
            }

            var (previousStatus, previousCurrent) = _layers.GetValueOrDefault(layer, ("", 0L));
            var current = status == "Downloading" && message.Progress?.Current is { } now ? Math.Max(now, previousCurrent) : previousCurrent;
            if (current > previousCurrent)
            {
                metrics.BytesPulled(current - previousCurrent);
                Bytes += current - previousCurrent;
            }

            if (status != previousStatus)
            {
                Log.ImagePullProgress(logger, reference, Printable.Of(layer, 80), Printable.Of(status, 80));
            }

            _layers[layer] = (status, current);
        }
    }
}

/// <summary>
/// Reads what the engine said when a pull failed. Docker and Podman word the same failures
/// differently; each pattern below is one that a test met on a real engine and registry.
/// </summary>
internal static class PullFailures
{
    /// <summary>The failure's kind; null when the image is not in the registry.</summary>
    public static ImagePullFailure? Classify(string message)
    {
        var text = message.ToLowerInvariant();
        if (text.Contains("x509:", StringComparison.Ordinal) || text.Contains("certificate signed by unknown authority", StringComparison.Ordinal)
            || text.Contains("failed to verify certificate", StringComparison.Ordinal))
        {
            return ImagePullFailure.UntrustedCertificate;
        }

        if (text.Contains("unauthorized", StringComparison.Ordinal) || text.Contains("authentication required", StringComparison.Ordinal)
            || text.Contains("no basic auth credentials", StringComparison.Ordinal) || text.Contains("incorrect username or password", StringComparison.Ordinal))
        {
            return ImagePullFailure.Unauthorized;
        }

        if (text.Contains("manifest unknown", StringComparison.Ordinal) || text.Contains("name unknown", StringComparison.Ordinal)
            || text.Contains("not found", StringComparison.Ordinal) || text.Contains("repository does not exist", StringComparison.Ordinal))
        {
            return null;
        }

        if (text.Contains("connection refused", StringComparison.Ordinal) || text.Contains("no such host", StringComparison.Ordinal)
            || text.Contains("i/o timeout", StringComparison.Ordinal) || text.Contains("no route to host", StringComparison.Ordinal)
            || text.Contains("network is unreachable", StringComparison.Ordinal) || text.Contains("connection reset", StringComparison.Ordinal)
            || text.Contains("tls handshake timeout", StringComparison.Ordinal) || text.Contains("server misbehaving", StringComparison.Ordinal))
        {
            return ImagePullFailure.RegistryUnreachable;
        }

        return ImagePullFailure.Other;
    }
}
