using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// BoundedTextFile sizes its buffer by the file's length (issue 17: select no longer allocates the
/// limit on every read), so the length must never decide what is read: a file up to the limit reads
/// whole, one byte more is refused, and files whose length says nothing (procfs says 0, /dev/zero)
/// read as they are.
/// </summary>
public sealed class BoundedTextFileProperties
{
    [Property(MaxTest = 200)]
    public void A_file_reads_whole_up_to_the_limit_and_is_refused_beyond_it(PositiveInt limitSeed, NonNegativeInt sizeSeed)
    {
        var limit = limitSeed.Get % 20_000 + 1;
        var size = sizeSeed.Get % (limit * 2 + 10);
        using var dir = new TempDirectory("bootsafe-bounded");
        var path = Path.Combine(dir.Path, "f");
        var text = new string('x', size);
        File.WriteAllText(path, text);

        if (size <= limit)
        {
            Assert.Equal(text, BoundedTextFile.ReadIfPresent(path, "test file", limit));
        }
        else
        {
            var e = Assert.Throws<BadInputException>(() => BoundedTextFile.ReadIfPresent(path, "test file", limit));
            Assert.Contains($"larger than {limit} bytes", e.Message);
        }
    }

    [Fact]
    public void Files_whose_length_says_nothing_read_as_they_are()
    {
        var status = BoundedTextFile.ReadIfPresent("/proc/self/maps", "maps");
        Assert.NotNull(status);
        Assert.True(status.Length > 4096, "procfs reports a length of 0; the read must go on past the first buffer");
        Assert.Contains("[stack]", status);

        var e = Assert.Throws<BadInputException>(() => BoundedTextFile.ReadIfPresent("/dev/zero", "kernel command line", 1 << 16));
        Assert.Contains("larger than", e.Message);
    }

    [Fact]
    public void Nul_bytes_are_refused_and_a_missing_file_is_null()
    {
        using var dir = new TempDirectory("bootsafe-bounded-nul");
        var path = Path.Combine(dir.Path, "f");
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes("a\0b"));
        Assert.Contains("NUL bytes", Assert.Throws<BadInputException>(() => BoundedTextFile.ReadIfPresent(path, "test file")).Message);
        Assert.Null(BoundedTextFile.ReadIfPresent(Path.Combine(dir.Path, "absent"), "test file"));
    }
}
