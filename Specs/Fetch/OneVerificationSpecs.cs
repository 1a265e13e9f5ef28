using System.IO.Compression;
using System.Text;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.Specs.Fetch.Support;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// Issue 15 item 5: one verification for every way in. `stage REV` runs fetch's checks (signature,
/// descent from known-good, tree rules) and refuses with a history line; `--no-verify` stages with a
/// warning and says so in the history; `verify` of known-good really verifies; `scrub` re-hashes
/// every reachable object and the kernel files, and finds the corrupted blob `git fsck` finds. The
/// real command tree (in-process), real ssh-keygen signatures, the git CLI as the oracle.
/// </summary>
public sealed class OneVerificationSpecs(FetchWorld world) : IClassFixture<FetchWorld>, IDisposable
{
    private readonly TempDirectory _dir = new("bootsafe-one-verification");

    public void Dispose() => _dir.Dispose();

    /// <summary>An initialized medium (known-good = v2, signed by the trusted key, parent v1) and its upstream.</summary>
    private (Upstream Up, Support.TestMedium Medium, string V1, string V2) World()
    {
        var up = new Upstream(_dir.Combine("upstream"));
        var v1 = up.Commit("v1", world.Trusted, Signing.Ssh);
        var v2 = up.Commit("v2", world.Trusted, Signing.Ssh);
        var medium = new Support.TestMedium(_dir.Combine("medium"), up, world.Config("file:///nonexistent"));
        Directory.CreateDirectory(Path.Combine(medium.Layout.Root, "boot", "extlinux"));
        File.WriteAllBytes(Path.Combine(medium.Layout.Root, "boot", "extlinux", "ldlinux.sys"), FakeBootImage.Create());
        Ok(medium, "init", "--revision", v2);
        Ok(medium, "bootloader", "sync");
        return (up, medium, v1, v2);
    }

    private static ProcessOutput Cli(Support.TestMedium medium, params string[] args) => InProcessCli.Run(["--medium", medium.Layout.Root, .. args]);

    private static ProcessOutput Ok(Support.TestMedium medium, params string[] args)
    {
        var result = Cli(medium, args);
        Assert.True(result.ExitCode == 0, $"webc-bootsafe {string.Join(' ', args)}: {result}");
        return result;
    }

    private static void Bring(Upstream up, Support.TestMedium medium) =>
        Proc.Run("git", ["fetch", "-q", up.Path, "+refs/heads/*:refs/heads/*"], medium.Layout.Repository);

    private static string LastHistoryLine(Support.TestMedium medium) => File.ReadAllLines(medium.Layout.HistoryFile)[^1];

    [Fact]
    public void Stage_refuses_unsigned_foreign_signed_and_older_commits_as_fetch_does_and_says_so_in_the_history()
    {
        var (up, medium, v1, v2) = World();
        var unsigned = up.Commit("unsigned", null, Signing.None);
        var foreign = up.Commit("foreign", world.Stranger, Signing.Ssh);
        var good = up.Commit("v3", world.Trusted, Signing.Ssh);
        Bring(up, medium);

        foreach (var (bad, why) in new[] { (unsigned, "not signed"), (foreign, ""), (v1, "downgrade refused") })
        {
            var state = File.ReadAllBytes(medium.Layout.StateFile);
            var extlinux = File.ReadAllBytes(medium.Layout.ExtlinuxConfig);
            var result = Cli(medium, "stage", bad);
            Assert.True(result.ExitCode == 1, $"stage {bad} ({why}): {result}");
            Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(why, result.Stderr, StringComparison.Ordinal);
            Assert.Equal(state, File.ReadAllBytes(medium.Layout.StateFile));
            Assert.Equal(extlinux, File.ReadAllBytes(medium.Layout.ExtlinuxConfig));
            Assert.False(File.Exists(medium.Layout.KernelFile(Webc.BootSafe.StateMachine.Slots.Revision.Parse(bad))));
            Assert.Contains("Refused", LastHistoryLine(medium), StringComparison.Ordinal);
            Assert.Contains(bad, LastHistoryLine(medium), StringComparison.Ordinal);
        }

        Ok(medium, "stage", good);
        Assert.Equal(good, medium.Ref("refs/bootsafe/trial"));
        Assert.Equal(v2, medium.Ref("refs/bootsafe/known-good"));

        // unstage: the trial ref goes with the trial
        Ok(medium, "unstage");
        Assert.Equal("", medium.Ref("refs/bootsafe/trial"));

        // --no-verify: staged, loudly, and the history says it was not checked
        var forced = Ok(medium, "stage", unsigned, "--no-verify");
        Assert.Contains("warning: --no-verify", forced.Stderr, StringComparison.Ordinal);
        Assert.Contains("--no-verify", LastHistoryLine(medium), StringComparison.Ordinal);
        Assert.Equal(unsigned, medium.Ref("refs/bootsafe/trial"));
    }

    [Fact]
    public void Verify_of_known_good_checks_it_instead_of_calling_it_up_to_date()
    {
        var (_, medium, _, v2) = World();
        var result = Ok(medium, "verify", "refs/bootsafe/known-good", "--cmdline", "/dev/null");
        Assert.Contains($"verified {v2}", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("up to date", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("etc/version")]
    [InlineData(Upstream.Kernel)]
    [InlineData(null)]
    public void Verify_and_scrub_find_a_corrupted_blob_of_known_good_exactly_when_git_fsck_does(string? corrupted)
    {
        var (_, medium, _, v2) = World();
        var repository = medium.Layout.Repository;
        string? blob = null;
        if (corrupted is not null)
        {
            blob = Proc.Run("git", ["rev-parse", $"{v2}:{corrupted}"], repository);
            Corrupt(repository, blob);
        }

        var fsck = Processes.Try("git", ["-C", repository, "fsck", "--full", "--no-dangling"]);
        var verify = Cli(medium, "verify", "refs/bootsafe/known-good", "--cmdline", "/dev/null");
        var scrub = Cli(medium, "scrub");
        var json = Cli(medium, "--json", "scrub");

        Assert.Equal(fsck.ExitCode == 0, verify.ExitCode == 0);
        Assert.Equal(fsck.ExitCode == 0, scrub.ExitCode == 0);
        Assert.Equal(corrupted is null, fsck.ExitCode == 0);
        // --json keys are snake_case, as every command's (issue 13).
        using (var document = System.Text.Json.JsonDocument.Parse(json.Stdout))
        {
            Assert.Equal(["ok", "objects_checked", "kernel_files_checked", "corrupt"], document.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.True(document.RootElement.GetProperty("objects_checked").GetInt64() > 0, json.ToString());
        }

        if (blob is not null)
        {
            Assert.Equal(1, verify.ExitCode);
            Assert.Equal(1, scrub.ExitCode);
            var lines = scrub.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains(lines, l => l.Contains($"corrupt object {blob}", StringComparison.Ordinal));
            Assert.All(lines, l => Assert.StartsWith("webc-bootsafe: corrupt object ", l, StringComparison.Ordinal));
            Assert.Contains($"\"object\": \"{blob}\"", json.Stdout, StringComparison.Ordinal);
            Assert.Contains("\"ok\": false", json.Stdout, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("\"ok\": true", json.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Scrub_finds_a_kernel_file_on_the_medium_that_no_longer_matches_its_blob()
    {
        var (_, medium, _, v2) = World();
        Ok(medium, "scrub");
        var kernel = medium.Layout.KernelFile(Webc.BootSafe.StateMachine.Slots.Revision.Parse(v2));
        var bytes = File.ReadAllBytes(kernel);
        bytes[0] ^= 0x01;
        File.WriteAllBytes(kernel, bytes);

        var scrub = Cli(medium, "scrub");
        Assert.Equal(1, scrub.ExitCode);
        Assert.Contains(kernel, scrub.Stderr, StringComparison.Ordinal);
    }

    // Unpacks every object loose, then rewrites the blob's loose file as a valid zlib stream of
    // different content of the same size: what a flipped bit on the medium looks like to a reader.
    private static void Corrupt(string repository, string blob)
    {
        var packs = Path.Combine(repository, "objects", "pack");
        foreach (var pack in Directory.GetFiles(packs, "*.pack"))
        {
            var moved = pack + ".old";
            File.Move(pack, moved);
            File.Delete(Path.ChangeExtension(pack, ".idx"));
            foreach (var rev in Directory.GetFiles(packs, Path.GetFileNameWithoutExtension(pack) + ".*"))
            {
                File.Delete(rev);
            }

            Proc.Run("sh", ["-c", $"git unpack-objects -q < '{moved}'"], repository);
            File.Delete(moved);
        }

        var loose = Path.Combine(repository, "objects", blob[..2], blob[2..]);
        var content = Encoding.UTF8.GetBytes(Proc.Run("git", ["cat-file", "blob", blob], repository));
        content[^1] ^= 0x20;
        using var file = new MemoryStream();
        using (var z = new ZLibStream(file, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(Encoding.ASCII.GetBytes($"blob {content.Length}\0"));
            z.Write(content);
        }

        File.SetAttributes(loose, FileAttributes.Normal);
        File.WriteAllBytes(loose, file.ToArray());
    }
}
