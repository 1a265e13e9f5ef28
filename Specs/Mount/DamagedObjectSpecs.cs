using Webc.BootSafe.Specs.Mount.Support;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Mount;

/// <summary>
/// A failure while serving a request never crosses into C: the reader gets EIO, the operator one
/// line on stderr naming the reason (no stack trace), and the mount goes on serving.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class DamagedObjectSpecs
{
    [HostFact("fusermount3")]
    public void A_truncated_object_reads_as_eio_with_one_line_of_reason_and_the_mount_serves_on()
    {
        using var dir = new TempDirectory("gitfs-spec");
        var repo = GitRepo.Init(dir.Sub("repo"));
        repo.Write("good.txt", "fine\n");
        repo.Write("bad.bin", System.Security.Cryptography.RandomNumberGenerator.GetBytes(32 * 1024));
        var commit = repo.Commit("damaged");

        // Cut the loose object after its first kilobyte: its header (type and size) still reads,
        // so the listing is served, but its content cannot be inflated.
        var blob = repo.Git("rev-parse", $"{commit}:bad.bin").Trim();
        var loose = Path.Combine(repo.Dir, ".git", "objects", blob[..2], blob[2..]);
        var bytes = File.ReadAllBytes(loose);
        File.SetAttributes(loose, FileAttributes.Normal);
        File.WriteAllBytes(loose, bytes[..1024]);

        using var mounted = new ForegroundMount(repo.Dir, commit);
        Assert.Equal(32 * 1024, new FileInfo(mounted.PathOf("bad.bin")).Length);
        var stderr = mounted.StderrDuring(() =>
        {
            var read = Shell.Try("cat", [mounted.PathOf("bad.bin")]);
            Assert.NotEqual(0, read.ExitCode);
            Assert.Contains("Input/output error", read.Stderr);
        });

        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.StartsWith("git-fs: ", l));
        Assert.DoesNotContain(" at ", stderr);
        Assert.Equal("fine\n", File.ReadAllText(mounted.PathOf("good.txt")));
    }
}
