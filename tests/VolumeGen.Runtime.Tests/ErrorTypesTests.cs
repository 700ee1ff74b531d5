namespace VolumeGen.Runtime.Tests;

/// <summary>
/// One catch takes every failure VolumeGen raises on its own (<see cref="VolumeGenException"/>; only
/// arguments refused before anything exists are <see cref="ArgumentException"/>s), each condition has a
/// type of its own, and <see cref="VolumeGenException.IsTransient"/> says which ones a retry may cure.
/// </summary>
public class ErrorTypesTests
{
    private static readonly Type[] ArgumentRefusals = [typeof(VolumeValidationException), typeof(UnsafeToolSpecException)];

    [Fact]
    public void Every_public_exception_is_a_VolumeGenException_except_the_argument_refusals()
    {
        var exceptions = typeof(VolumeGenException).Assembly.GetExportedTypes().Where(t => typeof(Exception).IsAssignableFrom(t)).ToList();

        Assert.True(exceptions.Count > 20);
        Assert.All(exceptions.Except(ArgumentRefusals).Except([typeof(VolumeGenException)]), t => Assert.True(t.IsSubclassOf(typeof(VolumeGenException)), t.Name));
        Assert.All(ArgumentRefusals, t => Assert.True(t.IsSubclassOf(typeof(ArgumentException)), t.Name));
        // Never raised as itself: a caller can always branch on the type.
        Assert.True(typeof(VolumeGenException).IsAbstract);
    }

    public static TheoryData<VolumeGenException, bool> Retries() => new()
    {
        { new EngineUnavailableException("unix:///var/run/docker.sock", "nothing listens there"), true },
        { new EngineUnavailableException("context x", "no such context", isTransient: false), false },
        { new ImagePullFailedException("r/t:1", "r", ImagePullFailure.RegistryUnreachable, "connection refused"), true },
        { new ImagePullFailedException("r/t:1", "r", ImagePullFailure.Stalled, "no progress"), true },
        { new ImagePullFailedException("r/t:1", "r", ImagePullFailure.Unauthorized, "denied"), false },
        { new ImageNotFoundException("r/t:1", "no such tag"), false },
        { new VolumeTransferStalledException("v", "download", TimeSpan.FromSeconds(1)), true },
        { new ArchiveCorruptException("volume 'v'", "ended early"), true },
        { new VolumeReadInterruptedException("v", "out.txt"), true },
        { new VolumeNameTakenException("v"), true },
        { new MountRefusedException("v", "/in", "was replaced", replaced: true), true },
        { new MountRefusedException("v", "/in", "belongs to another tenant"), false },
        { new LimitsNotEnforcedException(), false },
        { new ContainerToolTimeoutException("t:1", TimeSpan.FromSeconds(1), ""), false },
        { new ContainerToolFailedException("t:1", new ToolRunResult(1, "", "", false, false, TimeSpan.Zero)), false },
    };

    [Theory]
    [MemberData(nameof(Retries))]
    public void Only_what_a_retry_may_cure_is_transient(VolumeGenException error, bool transient)
    {
        Assert.Equal(transient, error.IsTransient);
    }

    [Fact]
    public void Cleanup_failures_attached_to_a_runs_error_are_read_with_GetFailures()
    {
        var run = new ContainerToolFailedException("t:1", new ToolRunResult(1, "", "", false, false, TimeSpan.Zero));
        Assert.Empty(VolumeCleanup.GetFailures(run));

        var leak = new VolumeCleanupException("v", 5, new IOException("busy"));
        VolumeGen.Engine.RunCleanup.Attach(run, [leak, new ContainerCleanupException("c1", new IOException("gone"))]);

        Assert.Equal([typeof(VolumeCleanupException), typeof(ContainerCleanupException)], VolumeCleanup.GetFailures(run).Select(f => f.GetType()));
        Assert.Same(leak, VolumeCleanup.GetFailures(run)[0]);
    }
}
