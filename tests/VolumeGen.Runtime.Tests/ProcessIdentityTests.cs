using System.Diagnostics;
using VolumeGen.Engine;

namespace VolumeGen.Runtime.Tests;

public class ProcessIdentityTests
{
    [Fact]
    public void This_process_is_alive_under_its_own_identity_and_no_other()
    {
        var self = ProcessIdentity.Describe(Environment.ProcessId);
        var parts = self.Split('/');

        Assert.Equal(4, parts.Length);
        Assert.True(ProcessIdentity.IsAlive(self));
        Assert.False(ProcessIdentity.IsAlive($"{parts[0]}/{parts[1]}/{parts[2]}/{parts[3]}1"));   // a reused pid started later
        Assert.False(ProcessIdentity.IsAlive($"{parts[0]}/{parts[1]}/another-boot/{parts[3]}"));  // before a reboot
        Assert.False(ProcessIdentity.IsAlive($"other-host/{parts[1]}/{parts[2]}/{parts[3]}"));
        Assert.False(ProcessIdentity.IsAlive($"{parts[0]}/{parts[1]}/{parts[3]}"));                // the old, clock-based form
    }

    [Fact]
    public void The_start_is_counted_from_boot_not_read_from_the_wall_clock()
    {
        if (!File.Exists("/proc/self/stat"))
        {
            return; // elsewhere the process start time stands in; this host is Linux in CI
        }

        var start = ProcessIdentity.Describe(Environment.ProcessId).Split('/')[3];
        // Clock ticks since boot, as the kernel counts them: far below any tick count of a DateTime.
        Assert.True(long.Parse(start, System.Globalization.CultureInfo.InvariantCulture) < Environment.TickCount64);
        using var exited = Process.Start(new ProcessStartInfo("true"))!;
        exited.WaitForExit();
        Assert.False(ProcessIdentity.IsAlive(ProcessIdentity.Describe(exited.Id)));
    }
}
