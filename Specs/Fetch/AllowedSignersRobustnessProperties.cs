using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Specs.Fetch.Support;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// Hostile trust files never crash the reader: any bytes (or a real line with bytes spliced in) parse
/// to some usable lines and skipped ones, and verifying a real signature against them either names a
/// principal or refuses with a <see cref="VerificationFailedException"/>, never another exception.
/// </summary>
[Trait("Category", "Fast")]
public sealed class AllowedSignersRobustnessProperties(SshKeygenPeer peer) : IClassFixture<SshKeygenPeer>
{
    private Gen<byte[]> Files() =>
        Gen.Frequency(
            (1, ArbMap.Default.GeneratorFor<byte[]>()),
            (3, from cut in Gen.Choose(0, 120)
                from junk in ArbMap.Default.GeneratorFor<byte[]>()
                let line = System.Text.Encoding.Latin1.GetBytes($"a@x,*@y namespaces=\"git\",valid-after=\"20200101\" ssh-ed25519 {peer.PublicKeys[0]} c\n")
                select line[..Math.Min(cut, line.Length)].Concat(junk).Concat(line[Math.Min(cut, line.Length)..]).ToArray()));

    [Property(MaxTest = 300)]
    public Property Any_bytes_parse_and_verify_without_crashing() =>
        Prop.ForAll(Files().ToArbitrary(), bytes =>
        {
            var signers = AllowedSignersFile.Parse(bytes, "allowed_signers");
            try
            {
                SshSignatureVerifier.Verify(File.ReadAllText(peer.Signatures[(0, "git")]), File.ReadAllBytes(peer.PayloadFile(false)), signers, DateTimeOffset.UtcNow);
            }
            catch (VerificationFailedException e)
            {
                return !e.Message.Contains('\n', StringComparison.Ordinal);
            }

            return true;
        });
}
