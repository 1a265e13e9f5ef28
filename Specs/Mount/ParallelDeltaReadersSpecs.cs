using System.Diagnostics;
using System.Security.Cryptography;
using Webc.BootSafe.Mount.Fuse;
using Webc.BootSafe.Specs.Mount.Support;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Mount;

/// <summary>
/// A large delta-compressed blob is rebuilt once per mount and shared by every reader: the mount
/// daemon's peak resident set (VmHWM) with 8 parallel readers stays within 1.3x of one reader's,
/// and every reader gets git's bytes. (Rebuilding per open made 8 readers of 200 MB reach 2.3 GB.)
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class ParallelDeltaReadersSpecs
{
    private const int BlobBytes = 128 << 20;
    private static readonly string Cli = Path.Combine(RepoPaths.Root, "Cli", "bin", "Release", "net10.0", "webc-bootsafe.dll");

    [HostFact]
    public void Eight_parallel_readers_of_a_delta_blob_peak_within_1_3x_of_one()
    {
        using var dir = new TempDirectory();
        var (repo, rev, expected) = RepositoryWithDeltaBlob(dir);

        var one = PeakWhileReading(repo, rev, dir.Sub("mnt1"), readers: 1, expected);
        var eight = PeakWhileReading(repo, rev, dir.Sub("mnt8"), readers: 8, expected);

        Assert.True(eight <= one * 1.3, $"peak RSS with 8 readers {eight} kB, with one {one} kB: more than 1.3x");
        Assert.True(one < 4L * BlobBytes / 1024, $"one reader peaked at {one} kB for a {BlobBytes >> 20} MB blob");
    }

    /// <summary>Two commits of one large file that differ in a few bytes; git stores one as a delta of the other.</summary>
    private static (string Repo, string Rev, byte[] Sha256) RepositoryWithDeltaBlob(TempDirectory dir)
    {
        var git = GitRepo.Init(dir.Sub("repo"));
        var content = new byte[BlobBytes];
        new Random(17).NextBytes(content);
        git.Write("large.bin", content);
        git.Git("add", "-A");
        git.Git("commit", "-q", "-m", "one");
        content.AsSpan(BlobBytes / 2, 4096).Fill(0x5a);
        git.Write("large.bin", content);
        git.Git("add", "-A");
        git.Git("commit", "-q", "-m", "two");
        git.Git("repack", "-q", "-a", "-d", "-f");

        // Whichever version git chose to deltify is the one to mount.
        foreach (var rev in new[] { "HEAD", "HEAD~1" })
        {
            var line = Shell.Run("bash", ["-c", "git -C \"$1\" rev-parse \"$2:large.bin\" | git -C \"$1\" cat-file --batch-check='%(deltabase)'", "-", git.Dir, rev], null).Trim();
            if (line.Length > 0 && line.Trim('0').Length > 0)
            {
                var blob = Path.Combine(dir.Path, "expected");
                Shell.Run("bash", ["-c", "git -C \"$1\" cat-file blob \"$2:large.bin\" > \"$3\"", "-", git.Dir, rev, blob], null);
                using var stream = File.OpenRead(blob);
                var hash = SHA256.HashData(stream);
                File.Delete(blob);
                return (git.Dir, git.Git("rev-parse", rev).Trim(), hash);
            }
        }

        throw new InvalidOperationException("git stored neither version of large.bin as a delta");
    }

    /// <summary>Mounts with the CLI daemon, reads large.bin with N parallel readers, returns the daemon's VmHWM (kB).</summary>
    private static long PeakWhileReading(string repo, string rev, string mountPoint, int readers, byte[] expected)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true };
        foreach (var a in new[] { Cli, "mount", "--foreground", "--repo", repo, "--rev", rev, mountPoint })
        {
            psi.ArgumentList.Add(a);
        }

        using var daemon = Process.Start(psi)!;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!Unmounter.IsMounted(mountPoint, out _))
            {
                Assert.True(DateTime.UtcNow < deadline && !daemon.HasExited, "the mount did not appear");
                Thread.Sleep(100);
            }

            var file = Path.Combine(mountPoint, "large.bin");
            using var start = new Barrier(readers);
            var hashes = new byte[readers][];
            var threads = Enumerable.Range(0, readers).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
                hashes[i] = SHA256.HashData(stream);
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.All(hashes, h => Assert.Equal(expected, h));

            var status = File.ReadAllLines($"/proc/{daemon.Id}/status");
            return long.Parse(status.Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        finally
        {
            if (Unmounter.IsMounted(mountPoint, out _))
            {
                Shell.Try("umount", ["-l", mountPoint]);
            }

            if (!daemon.WaitForExit(20_000))
            {
                daemon.Kill();
            }
        }
    }
}
