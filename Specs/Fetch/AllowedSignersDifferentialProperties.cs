using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Specs.Fetch.Support;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// Differential: generated allowed_signers files (principal patterns with wildcards and negations,
/// cert-authority, namespaces lists, valid-after/valid-before in the past and future in every time
/// format, comments, blank lines, CRLF, malformed lines and options) and signatures by ssh-keygen
/// (namespace git or file, payload intact or tampered). Our reading must give the verdict the real
/// ssh-keygen gives, at each of the three steps git takes: find-principals (same principals, or none),
/// verify -I for a principal (same exit), and git's whole flow (same accept/refuse, same principal).
/// Needs ssh-keygen only (no root): a fast spec. FsCheck prints the seed (Replay) on failure.
/// </summary>
[Trait("Category", "Fast")]
public sealed class AllowedSignersDifferentialProperties(SshKeygenPeer peer) : IClassFixture<SshKeygenPeer>
{
    public sealed record Case(string File, int Signer, string Namespace, bool Tampered, string Principal)
    {
        public override string ToString() =>
            $"signer k{Signer}, namespace {Namespace}, tampered {Tampered}, -I '{Principal}', allowed_signers:\n{File.Replace("\r", "\\r", StringComparison.Ordinal)}";
    }

    private static readonly string[] PrincipalFields =
    [
        "a@x", "b@y", "*@x", "a@*", "?@x", "*", "!a@x,*@x", "a@x,b@y", "b@y,a@x", "a@x,,b@y", ",a@x", "\"a@x b@y\"", "A@X", "a@x,!b@y",
    ];

    private static readonly string[] QueriedPrincipals = ["a@x", "b@y", "c@x", "A@X", "a@x b@y", "*@x", "!a@x"];

    private static Gen<string> Time(bool future) =>
        from days in Gen.Choose(2, 4000)
        from seconds in Gen.Choose(0, 86399)
        from format in Gen.Elements("yyyyMMdd", "yyyyMMddHHmm", "yyyyMMddHHmmss")
        from suffix in Gen.Elements("", "", "Z", "z", "UTC", "utc")
        select DateTime.UtcNow.AddDays(future ? days : -days).AddSeconds(seconds).ToString(format, CultureInfo.InvariantCulture) + suffix;

    private static Gen<string> Option() =>
        Gen.Frequency(
            (3, Gen.Elements("cert-authority", "CERT-AUTHORITY")),
            (6, Gen.Elements("namespaces=\"git\"", "namespaces=\"file\"", "namespaces=\"git,file\"", "namespaces=\"*\"", "namespaces=\"g?t\"", "namespaces=\"!git,*\"", "NameSpaces=\"file,git\"")),
            (4, Time(future: false).Select(t => $"valid-after=\"{t}\"")),
            (3, Time(future: true).Select(t => $"valid-after=\"{t}\"")),
            (3, Time(future: false).Select(t => $"valid-before=\"{t}\"")),
            (4, Time(future: true).Select(t => $"valid-before=\"{t}\"")),
            (3, Gen.Elements(
                "valid-after=20200101", "valid-before=\"2020\"", "valid-after=\"20231301\"", "valid-after=\"20230230\"", "valid-before=\"19700101Z\"",
                "valid-after=\"2023010x\"", "bogus", "", "namespaces=\"git", "verify-required", "valid-after=\"20200101\" ",
                "valid-after=\"2020 101\"", "valid-after=\" 2020101\"", "valid-after=\"20241231235960Z\"", "valid-before=\"20230229\"",
                "namespaces=\"file git\"", "namespaces=\"g\\\"it,git\"", "namespaces=\"\"", "valid-before=\"99991231UTC\"")));

    private Gen<string> KeyText() =>
        Gen.Frequency(
            (12, Gen.Choose(0, SshKeygenPeer.KeyCount - 2).Select(i => "ssh-ed25519 " + peer.PublicKeys[i])),
            (1, Gen.Constant("ssh-ed25519 " + peer.PublicKeys[SshKeygenPeer.KeyCount - 1])),
            (1, Gen.Choose(0, SshKeygenPeer.KeyCount - 1).Select(i => "ssh-ed25519 " + peer.PublicKeys[i][..^4])),
            (1, Gen.Choose(0, SshKeygenPeer.KeyCount - 1).Select(i => "ssh-rsa " + peer.PublicKeys[i])),
            (1, Gen.Choose(0, SshKeygenPeer.KeyCount - 1).Select(i => "ssh-ed25519 " + peer.PublicKeys[i] + "AAAA")),
            (1, Gen.Constant(peer.EcdsaLine)));

    private Gen<string> SignerLine() =>
        from lead in Gen.Elements("", "", "", " ", "\t")
        from principals in Gen.Elements(PrincipalFields)
        from sep in Gen.Elements(" ", " ", "\t", "  ")
        from count in Gen.Frequency((5, Gen.Constant(0)), (4, Gen.Constant(1)), (3, Gen.Constant(2)), (1, Gen.Constant(3)))
        from options in Gen.ArrayOf(Option(), count)
        from trailingComma in Gen.Frequency((12, Gen.Constant(false)), (1, Gen.Constant(true)))
        from key in KeyText()
        from comment in Gen.Elements("", "", " k@host", "\tcomment with spaces")
        select lead + principals + sep + (count == 0 ? string.Empty : string.Join(',', options) + (trailingComma ? "," : string.Empty) + sep) + key + comment;

    private Gen<string> Line() =>
        Gen.Frequency(
            (10, SignerLine()),
            (1, Gen.Elements("", "   ", "# a comment", "  # indented comment")),
            (2, Gen.Elements(
                "garbage", "a@x", "a@x ssh-ed25519", "a@x ssh-ed25519 AAAA", "\"a@x ssh-ed25519 " + peer.PublicKeys[0],
                "a@x namespaces=\"git ssh-ed25519 " + peer.PublicKeys[0], "a@x cert-authority", "a@x ssh-ed25519\t" + peer.PublicKeys[1] + "\0junk")));

    private Arbitrary<Case> Cases() =>
        (from lines in Gen.ListOf(Line()).Select(l => l.Take(6).ToList())
         from crlf in Gen.Frequency((6, Gen.Constant(false)), (1, Gen.Constant(true)))
         from finalNewline in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
         from signer in Gen.Choose(0, SshKeygenPeer.KeyCount - 1)
         from ns in Gen.Frequency((6, Gen.Constant("git")), (1, Gen.Constant("file")))
         from tampered in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
         from principal in Gen.Elements(QueriedPrincipals)
         let newline = crlf ? "\r\n" : "\n"
         select new Case(string.Join(newline, lines) + (finalNewline && lines.Count > 0 ? newline : string.Empty), signer, ns, tampered, principal))
        .ToArbitrary();

    [Property(MaxTest = 150)]
    public Property Our_allowed_signers_verdict_is_ssh_keygens_at_every_step_git_takes() =>
        Prop.ForAll(Cases(), c =>
        {
            var file = peer.WriteAllowedSigners(c.File);
            var signature = peer.Signatures[(c.Signer, c.Namespace)];
            var payload = peer.PayloadFile(c.Tampered);
            var ours = AllowedSignersFile.Parse(File.ReadAllBytes(file), file);
            var key = Convert.FromBase64String(peer.PublicKeys[c.Signer])[^32..];
            var now = DateTimeOffset.UtcNow;

            // 1. find-principals: the same principals, or none.
            var found = SshKeygenPeer.Run(["-Y", "find-principals", "-f", file, "-s", signature]);
            var theirPrincipals = found.Exit == 0 ? found.Stdout.Split('\n').SkipLast(1).ToList() : null;
            var ourPrincipals = ours.FindPrincipals(key, now.ToUnixTimeSeconds());
            var samePrincipals = theirPrincipals is null ? ourPrincipals is null : ourPrincipals is not null && theirPrincipals.SequenceEqual(ourPrincipals);

            // 2. verify -I for the generated principal.
            var theirVerify = Verify(file, c.Principal, signature, payload);
            var ourVerify = OurVerify(ours, c.Principal, signature, payload, now);

            // 3. git's flow: verify -I for each principal find-principals printed, until one is good.
            var theirGit = (theirPrincipals ?? []).Select(p => p.TrimEnd('\r')).Where(p => p.Length > 0)
                .FirstOrDefault(p => Verify(file, p, signature, payload));
            string? ourGit;
            try
            {
                ourGit = SshSignatureVerifier.Verify(File.ReadAllText(signature), File.ReadAllBytes(payload), ours, now);
            }
            catch (VerificationFailedException)
            {
                ourGit = null;
            }

            File.Delete(file);
            return (samePrincipals && theirVerify == ourVerify && theirGit == ourGit)
                .Label($"find-principals: ssh-keygen {Show(theirPrincipals)}, ours {Show(ourPrincipals)}; " +
                       $"verify -I: ssh-keygen {theirVerify}, ours {ourVerify}; git flow: ssh-keygen {theirGit ?? "refuse"}, ours {ourGit ?? "refuse"}; " +
                       $"ssh-keygen said: {found.Stderr.Trim()}; skipped by us: {string.Join(" | ", ours.Skipped)}")
                .Classify(theirGit is not null, "accepted")
                .Classify(theirGit is null, "refused");
        });

    private static bool Verify(string file, string principal, string signature, string payload) =>
        SshKeygenPeer.Run(["-Y", "verify", "-f", file, "-I", principal, "-n", "git", "-s", signature], payload) is { Exit: 0 } r
        && r.Stdout.StartsWith("Good", StringComparison.Ordinal);

    private static bool OurVerify(AllowedSigners ours, string principal, string signature, string payload, DateTimeOffset now)
    {
        try
        {
            var key = SshSignatureVerifier.CheckSignature(File.ReadAllText(signature), File.ReadAllBytes(payload), out _);
            return ours.Allows(principal, key, "git", now.ToUnixTimeSeconds());
        }
        catch (VerificationFailedException)
        {
            return false;
        }
    }

    private static string Show(IReadOnlyList<string>? principals) => principals is null ? "none" : "[" + string.Join(", ", principals) + "]";
}
