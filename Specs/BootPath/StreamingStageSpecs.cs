using System.Globalization;
using System.Security.Cryptography;
using Webc.BootSafe.Cli;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.BootPath;

/// <summary>
/// Staging streams the kernel files (issue 15): the shipped binary stages a commit whose initrd is
/// 300 MB with a peak RSS far below that size, and the staged file is the blob, byte for byte. The
/// content is mostly zeros with a random block in every MiB, so git stores and inflates it quickly.
/// With --no-verify, so the figure is staging's alone: fetch's object check reads each blob through
/// libgit2, which holds a whole blob in memory (docs/threat-model.md, issue 15 follow-up).
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class StreamingStageSpecs
{
    private const int InitrdMiB = 300;
    private const long RssLimitKiB = 150 * 1024;

    [HostFact("git", "time", Root = false)]
    public void A_300_MB_initrd_is_staged_with_bounded_memory_and_is_exactly_the_blob()
    {
        using var medium = new CliMediumDirectory("bigstage", releases: 1);
        using var work = new TempDirectory("bigstage-work");
        var repository = Path.Combine(medium.Medium, "live", "filesystem.git");
        var source = Path.Combine(work.Path, "source");
        Git(work.Path, "clone", "-q", repository, source);
        var boot = Path.Combine(source, "boot");
        foreach (var old in Directory.EnumerateFiles(boot))
        {
            File.Delete(old);
        }

        File.WriteAllText(Path.Combine(boot, "vmlinuz-6.1.0-big"), "kernel big");
        var initrd = Path.Combine(boot, "initrd.img-6.1.0-big");
        var expected = WriteInitrd(initrd);
        Git(source, "add", "-A");
        Git(source, "-c", "user.email=s@example.org", "-c", "user.name=specs", "commit", "-q", "-m", "a big initrd");
        Git(source, "push", "-q", "origin", "HEAD:refs/heads/big");
        var revision = Git(source, "rev-parse", "HEAD").Trim();

        var peak = Path.Combine(work.Path, "peak");
        var result = ProcessResult.Run(
            "/usr/bin/time",
            ["-f", "%M", "-o", peak, AotBinary.Path, "--medium", medium.Medium, "stage", revision, "--no-verify"],
            new Dictionary<string, string> { [MediumAccess.SimulatedMediumVariable] = "1" },
            timeout: TimeSpan.FromMinutes(10));

        Assert.True(result.ExitCode == 0, result.ToString());
        var staged = Path.Combine(medium.Medium, "live", "initrd-" + revision);
        Assert.Equal(expected, Sha256(staged));
        var peakKiB = long.Parse(File.ReadAllText(peak).Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
        Assert.True(peakKiB < RssLimitKiB, $"stage of a {InitrdMiB} MiB initrd peaked at {peakKiB} KiB RSS (limit {RssLimitKiB} KiB)");
    }

    /// <summary>Writes the initrd and returns its SHA-256 (the blob's content is this file's).</summary>
    private static string WriteInitrd(string path)
    {
        var block = new byte[1024 * 1024];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var file = File.Create(path))
        {
            for (var i = 0; i < InitrdMiB; i++)
            {
                Array.Clear(block);
                RandomNumberGenerator.Fill(block.AsSpan(0, 4096));
                file.Write(block);
                hash.AppendData(block);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string Git(string dir, params string[] args)
    {
        var result = ProcessResult.Run("git", new[] { "-C", dir }.Concat(args), timeout: TimeSpan.FromMinutes(5));
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', args)}: {result}");
        return result.Stdout;
    }
}
