using System.Diagnostics;
using Docker.DotNet;

namespace VolumeGen.Integration.Tests.Faults;

/// <summary>
/// A second Docker daemon of this test's own (own data root, exec root and socket), so a test can
/// kill and restart "the daemon" without touching the engine every other test uses.
/// </summary>
internal sealed class PrivateDaemon : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"volumegen-daemon-{Guid.NewGuid():N}"[..28]);
    private Process? _process;

    public Uri Endpoint => new($"unix://{_root}/docker.sock");

    public IsolatedVolumeOptions Options => new() { Endpoint = Endpoint };

    public async Task StartAsync()
    {
        Directory.CreateDirectory(_root);
        var logPath = Path.Combine(_root, "dockerd.log");
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        _process = Process.Start(new ProcessStartInfo("dockerd",
        [
            "--data-root", $"{_root}/data", "--exec-root", $"{_root}/exec", "-H", Endpoint.ToString(),
            "--pidfile", $"{_root}/docker.pid", "--iptables=false", "--ip6tables=false", "--bridge=none",
        ]) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException("dockerd could not be started; run scripts/docker-engine.sh start, which installs it.");
        _process.OutputDataReceived += (_, e) => log.WriteLine(e.Data);
        _process.ErrorDataReceived += (_, e) => log.WriteLine(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var client = new DockerClientBuilder().WithEndpoint(Endpoint).Build();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await client.System.PingAsync();
                return;
            }
            catch (Exception) when (attempt < 120 && !_process.HasExited)
            {
                await Task.Delay(250);
            }
            catch (Exception e)
            {
                await Task.Delay(200); // let the log catch up
                throw new InvalidOperationException(
                    $"The private dockerd did not come up: {string.Join('\n', File.ReadLines(logPath).TakeLast(8))}", e);
            }
        }
    }

    /// <summary>
    /// Kills the daemon the way a crash or an OOM kill would: no graceful shutdown. Its containerd
    /// goes too (a restarted dockerd cannot start its own next to the old one).
    /// </summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        foreach (var containerd in Process.GetProcessesByName("containerd").Where(p => CommandLineMentions(p, _root)))
        {
            containerd.Kill();
            await containerd.WaitForExitAsync();
        }

        // A killed daemon leaves its pid files behind; a new one refuses to start next to them (and,
        // where nothing reaps the killed containerd, its zombie still "runs" under the old pid).
        File.Delete(Path.Combine(_root, "docker.pid"));
        File.Delete(Path.Combine(_root, "exec", "containerd", "containerd.pid"));
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        await Task.Delay(500);
        try
        {
            UnmountAll();
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: an overlay mount still held by a dying shim; it lives under /tmp only.
        }
    }

    private static bool CommandLineMentions(Process process, string text)
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/cmdline").Contains(text, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void UnmountAll()
    {
        foreach (var mount in File.ReadAllLines("/proc/mounts").Select(l => l.Split(' ')[1]).Where(m => m.StartsWith(_root, StringComparison.Ordinal)).Reverse())
        {
            using var umount = Process.Start("umount", ["-l", mount]);
            umount.WaitForExit();
        }
    }
}
