using VolumeGen.Validation;

namespace VolumeGen.Runtime.Tests;

/// <summary>The one escaping rule, and the messages that carry text a tool or an image controls.</summary>
public class PrintableTests
{
    private const string Forged = "ok\u001b[2J\u0007\nINFO forged line\u202eevil";

    [Fact]
    public void Control_and_bidi_characters_are_escaped_and_the_rest_kept()
    {
        Assert.Equal("ok\\u001b[2J\\u0007\\u000aINFO forged line\\u202eevil", Printable.Of(Forged));
        Assert.Equal("plain ünïcödé 名前", Printable.Of("plain ünïcödé 名前"));
        Assert.Equal("", Printable.Of(null));
        Assert.Equal("a\\u2028b\\u200bc\\ufeff", Printable.Of("a\u2028b\u200bc\ufeff"));
    }

    [Fact]
    public void A_failed_tools_message_has_both_tails_and_says_how_to_accept_the_exit_code()
    {
        var error = new ContainerToolFailedException("clamav", new ToolRunResult(1, "/inputs/eicar.com: Eicar-Signature FOUND\n", "", false, false, TimeSpan.Zero));

        Assert.Contains("Stdout (tail): /inputs/eicar.com: Eicar-Signature FOUND\\u000a", error.Message);
        Assert.Contains("AllowNonZeroExit", error.Message);
    }

    [Fact]
    public void A_long_value_is_cut_saying_how_long_it_was()
    {
        var error = new VolumeValidationException("runId", new string('r', 5_000), "it is longer than 64 characters");

        Assert.Contains("... (5000 characters)", error.Message);
        Assert.True(error.Message.Length < 300, error.Message);
    }

    public static TheoryData<Exception> MessagesWithToolText() =>
    [
        new UnsafeVolumeEntryException("vol", "report/" + Forged, "symlink"),
        new UnsafeVolumeEntryException("vol", "report", $"folder whose archive holds an entry named '{Forged}'"),
        new ContainerToolFailedException("img", new ToolRunResult(1, "", "stderr " + Forged, false, false, TimeSpan.Zero)),
        new ToolUserNotFoundException("img", Forged, "user 'x'"),
        new UnsafeImageConfigException("img", "WorkingDir", Forged, "is odd"),
        new VolumeReadLimitExceededException("vol", Forged, "the limit", 1),
        new VolumeValidationException("tenantId", Forged, "bad"),
    ];

    [Theory]
    [MemberData(nameof(MessagesWithToolText))]
    public void Messages_carry_tool_controlled_text_escaped(Exception error)
    {
        Assert.DoesNotContain(error.Message, c => char.IsControl(c) || c == '\u202e');
        Assert.Contains("\\u001b", error.Message);
    }
}
