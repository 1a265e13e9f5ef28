using LibGit2Sharp;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Specs.Fetch.Support;

namespace Webc.BootSafe.Specs.Fetch;

public sealed class IntegritySpecs : IDisposable
{
    private readonly TempDirectory _dir = new("bootsafe-integrity");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_corrupted_object_on_the_medium_is_found()
    {
        var up = new Upstream(_dir.Combine("up"));
        var sha = up.Commit("v1", null, Signing.None, new Dictionary<string, string?> { ["etc/data"] = "precious" });
        var blob = up.Git("rev-parse", sha + ":etc/data");
        var loose = Path.Combine(up.Path, ".git", "objects", blob[..2], blob[2..]);
        using (var repo = new Repository(up.Path))
        {
            Assert.True(ObjectIntegrity.Check(repo, repo.Lookup<Commit>(sha)) > 5);
        }

        // Replace the object with a valid zlib stream of other content: it inflates, but hashes wrong.
        var other = Proc.Run("git", ["hash-object", "-w", "--stdin"], up.Path, stdin: "tampered");
        var otherPath = Path.Combine(up.Path, ".git", "objects", other[..2], other[2..]);
        File.SetAttributes(loose, FileAttributes.Normal);
        File.Copy(otherPath, loose, overwrite: true);

        using var reopened = new Repository(up.Path);
        var e = Assert.Throws<VerificationFailedException>(() => ObjectIntegrity.Check(reopened, reopened.Lookup<Commit>(sha)));
        Assert.Contains(blob, e.Message, StringComparison.Ordinal);
    }
}
