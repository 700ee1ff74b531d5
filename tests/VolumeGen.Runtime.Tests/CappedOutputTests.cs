using System.Text;
using VolumeGen.Engine;

namespace VolumeGen.Runtime.Tests;

public class CappedOutputTests
{
    [Fact]
    public void Multibyte_characters_split_across_chunks_decode_intact()
    {
        var bytes = Encoding.UTF8.GetBytes("héllo wörld — 名前 🚀");
        var output = new CappedOutput(1024);
        foreach (var b in bytes)
        {
            output.Append([b]); // one byte per chunk: every multibyte character is split
        }

        Assert.Equal("héllo wörld — 名前 🚀", output.Text());
        Assert.False(output.Truncated);
    }

    [Fact]
    public void Output_beyond_the_cap_is_dropped_and_flagged()
    {
        var output = new CappedOutput(4);
        output.Append("abc"u8);
        output.Append("defg"u8);
        Assert.Equal("abcd", output.Text());
        Assert.True(output.Truncated);
    }
}
