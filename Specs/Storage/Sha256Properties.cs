using FsCheck.Xunit;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Storage;

/// <summary>
/// The managed SHA-256 that the state file and the history use (issue 17: no OpenSSL on the boot path)
/// against the platform's: any input, and every length around the padding's block boundaries.
/// </summary>
public sealed class Sha256Properties
{
    [Property(MaxTest = 1000)]
    public void Equals_the_platform_sha256(byte[] data) =>
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(data), Sha256.HashData(data));

    [Fact]
    public void Equals_the_platform_sha256_at_every_length_up_to_three_blocks()
    {
        var random = new Random(17);
        for (var length = 0; length <= 200; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)), Sha256.HexOf(data));
        }

        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.HexOf([]));
    }
}
