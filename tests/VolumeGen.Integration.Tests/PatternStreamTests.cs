using VolumeGen.Testing;

namespace VolumeGen.Integration.Tests;

/// <summary>
/// The tests' large source computes its bytes a block at a time; they must be the pattern the
/// round-trip tests rely on (byte p is (p * 31) ^ (p >> 11)), whatever the reads' sizes and offsets.
/// </summary>
public class PatternStreamTests
{
    [Fact]
    public async Task Every_byte_is_the_pattern_at_its_position_across_reads_of_any_size_and_offset()
    {
        const long length = 300_000; // well past the pattern's 2048-byte blocks and its 256-byte cycle
        var stream = new PatternStream(length);
        var random = new Random(7);
        var buffer = new byte[10_000];
        long position = 0;
        while (true)
        {
            var offset = random.Next(0, 100);
            var count = random.Next(1, buffer.Length - offset);
            var read = random.Next(2) == 0 ? stream.Read(buffer, offset, count) : await stream.ReadAsync(buffer.AsMemory(offset, count));
            if (read == 0)
            {
                break;
            }

            for (var i = 0; i < read; i++)
            {
                var p = position + i;
                Assert.True(buffer[offset + i] == (byte)((p * 31) ^ (p >> 11)), $"byte {p}");
            }

            position += read;
        }

        Assert.Equal(length, position);
    }
}
