using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Specs.Fetch.Support;
using GitObjectId = Webc.BootSafe.Git.ObjectId;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// Issue 17 item 3: fetch re-hashes only what arrived. A quarantine borrowing a kept repository's
/// objects (alternates, as fetch's does) receives an update by `git push` (real git, loose objects);
/// the check hashes exactly the new objects, refuses one that arrived corrupt or missing, and does
/// not read what was kept (a corrupt kept object is scrub's to find).
/// </summary>
public sealed class ArrivedObjectsSpecs : IDisposable
{
    private readonly TempDirectory _dir = new("bootsafe-arrived");

    public void Dispose() => _dir.Dispose();

    private (Upstream Up, string Kept, string Quarantine, string V1, string V2) World()
    {
        var up = new Upstream(_dir.Combine("up"));
        var v1 = up.Commit("v1", null, Signing.None, new Dictionary<string, string?> { ["etc/a"] = "kept a", ["etc/b"] = "kept b", ["usr/c"] = "kept c" });
        var kept = _dir.Combine("kept.git");
        Proc.Run("git", ["clone", "-q", "--bare", up.Path, kept], _dir.Path);
        var v2 = up.Commit("v2", null, Signing.None, new Dictionary<string, string?> { ["etc/a"] = "arrived a" });
        var quarantine = _dir.Combine("incoming.git");
        Proc.Run("git", ["init", "-q", "--bare", quarantine], _dir.Path);
        File.WriteAllText(Path.Combine(quarantine, "objects", "info", "alternates"), Path.Combine(kept, "objects") + "\n");
        Proc.Run("git", ["push", "-q", quarantine, "master:refs/heads/incoming"], up.Path);
        return (up, kept, quarantine, v1, v2);
    }

    private static GitObjectId Id(string hex) => GitObjectId.TryParse(hex, out var id) ? id : throw new ArgumentException(hex);

    private static string Loose(string repository, string hex) => Path.Combine(repository, "objects", hex[..2], hex[2..]);

    [Fact]
    public void Only_the_objects_that_arrived_are_hashed_and_they_are_what_promotion_moves()
    {
        var (up, kept, quarantine, _, v2) = World();
        var check = new ArrivedObjects(quarantine, kept);

        var hashed = check.Check(Id(v2));

        // v2 brings its commit, root tree, etc/ tree and the new blob; git agrees on the list.
        var expected = up.Git("rev-list", "--objects", v2, "^" + v2 + "^").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[..40]).ToHashSet();
        Assert.Equal(expected.Count, hashed);
        Assert.Equal(expected, check.Needed!.Select(i => i.ToString()).ToHashSet());
    }

    [Fact]
    public void A_corrupt_object_that_arrived_is_refused()
    {
        var (up, kept, quarantine, _, v2) = World();
        var blob = up.Git("rev-parse", v2 + ":etc/a");
        var other = Proc.Run("git", ["hash-object", "-w", "--stdin"], quarantine, stdin: "tampered");
        File.SetAttributes(Loose(quarantine, blob), FileAttributes.Normal);
        File.Copy(Loose(quarantine, other), Loose(quarantine, blob), overwrite: true);

        var e = Assert.Throws<VerificationFailedException>(() => new ArrivedObjects(quarantine, kept).Check(Id(v2)));
        Assert.Contains(blob, e.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_object_that_neither_arrived_nor_is_kept_is_refused()
    {
        var (up, kept, quarantine, _, v2) = World();
        var blob = up.Git("rev-parse", v2 + ":etc/a");
        File.Delete(Loose(quarantine, blob));

        var e = Assert.Throws<VerificationFailedException>(() => new ArrivedObjects(quarantine, kept).Check(Id(v2)));
        Assert.Contains(blob, e.Message, StringComparison.Ordinal);
        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rotten_kept_object_is_not_read_again_by_fetch_and_scrub_finds_it()
    {
        var (up, kept, quarantine, v1, v2) = World();
        var keptBlob = up.Git("rev-parse", v1 + ":usr/c");
        var path = Loose(kept, keptBlob);
        var other = Proc.Run("git", ["hash-object", "-w", "--stdin"], kept, stdin: "rotten");
        File.Delete(path); // the local clone hard-links its objects: replace the file, not its content
        File.Copy(Loose(kept, other), path);

        var check = new ArrivedObjects(quarantine, kept);
        check.Check(Id(v2));
        Assert.DoesNotContain(Id(keptBlob), check.Needed!);

        using var reader = Webc.BootSafe.Git.CommitReader.Open(kept);
        var (_, corrupt) = Webc.BootSafe.Git.ObjectScrub.Run(reader.Objects, [(Id(v1), "v1")]);
        Assert.Contains(corrupt, c => c.Id == Id(keptBlob));
    }
}
