using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Specs.Fetch.Support;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// valid-before timestamps read to the second as ssh-keygen reads them: for a generated time text
/// (every format, UTC suffixes or local time, odd but accepted fields, invalid ones), ssh-keygen
/// -Y find-principals -Overify-time must accept the line at the instant we parse and refuse it one
/// second later; when we call the text invalid, ssh-keygen must skip the line. Local times follow
/// the process's time zone (run with TZ=Europe/Berlin to check daylight saving handling).
/// </summary>
[Trait("Category", "Fast")]
public sealed class OpenSshTimeProperties(SshKeygenPeer peer) : IClassFixture<SshKeygenPeer>
{
    private static Gen<string> Texts() =>
        Gen.Frequency(
            (8, from seconds in Gen.Choose(2, int.MaxValue - 1)
                from format in Gen.Elements("yyyyMMdd", "yyyyMMddHHmm", "yyyyMMddHHmmss")
                from suffix in Gen.Elements("", "", "Z", "utc", "UTC", "z")
                select DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString(format, CultureInfo.InvariantCulture) + suffix),
            (2, Gen.Elements(
                "2020 101", "20200229", "20210229", "20210231", "20201301", "20200100", "202001011260", "20200101235960", "20200101235961Z",
                "19700101Z", "19700101000001Z", "19691231", "2020010", "202001010", "2020-1-1", "20200101 Z", "Z", "UTC", "99991231Z", "2038011903141")));

    [Property(MaxTest = 100)]
    public Property A_valid_before_time_ends_at_the_second_ssh_keygen_says() =>
        Prop.ForAll(Texts().ToArbitrary(), text =>
        {
            var file = peer.WriteAllowedSigners($"a@x valid-before=\"{text}\" ssh-ed25519 {peer.PublicKeys[0]}\n");
            var signature = peer.Signatures[(0, "git")];
            // sshsigopt_parse refuses a time that parses to the epoch itself (0 means "unset").
            var ours = OpenSshTime.Parse(text) is { } parsed and > 0 ? parsed : (long?)null;
            bool Accepts(long at) => SshKeygenPeer.Run(
                ["-Y", "find-principals", "-f", file, "-s", signature,
                 $"-Overify-time={DateTimeOffset.FromUnixTimeSeconds(at).UtcDateTime:yyyyMMddHHmmss}Z"]).Exit == 0;
            var agree = ours is { } end ? Accepts(end) && !Accepts(end + 1) : !Accepts(1);
            File.Delete(file);
            return agree.Label($"'{text}': ours {(ours is { } t ? DateTimeOffset.FromUnixTimeSeconds(t).ToString("u", CultureInfo.InvariantCulture) : "invalid")}");
        });
}
