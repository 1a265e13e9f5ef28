using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Webc.BootSafe.Mount.Fuse;
using Webc.BootSafe.Specs.Mount.Support;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Mount;

/// <summary>
/// What the low-level binding is for, counted from libfuse's own request log (`-o debug`) of the
/// built CLI: a listing needs no OPENDIR, RELEASEDIR or per-entry LOOKUP (opendir answers ENOSYS,
/// readdirplus carries every entry's attributes), and once listed, a tree is walked again without
/// a single request (the kernel keeps listings, entries and attributes).
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed partial class RequestCountSpecs
{
    private static readonly string Cli = Path.Combine(RepoPaths.Root, "Cli", "bin", "Release", "net10.0", "webc-bootsafe.dll");

    private static OracleRepo Repo => OracleRepo.Shared;

    [HostFact("fusermount3")]
    public void A_walk_needs_no_open_or_lookup_and_a_second_walk_no_request()
    {
        using var dir = new TempDirectory("gitfs-spec");
        var mountPoint = dir.Sub("mnt");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true };
        foreach (var a in new[] { Cli, "mount", "--foreground", "-o", "debug", "--repo", Repo.Packed, "--rev", Repo.Second, mountPoint })
        {
            psi.ArgumentList.Add(a);
        }

        var log = new StringBuilder();
        using var process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        try
        {
            for (var i = 0; i < 200 && !Unmounter.IsMounted(mountPoint, out _); i++)
            {
                Thread.Sleep(50);
            }

            Assert.True(Unmounter.IsMounted(mountPoint, out _), "mounted in the foreground");
            var first = Requests(log, () => Shell.Run("find", mountPoint, "-ls"));
            Assert.True(first.GetValueOrDefault("READDIRPLUS") > 0, Describe(first));
            Assert.True(first.GetValueOrDefault("OPENDIR") <= 1, Describe(first)); // the first one learns ENOSYS
            Assert.False(first.ContainsKey("RELEASEDIR"), Describe(first));
            Assert.False(first.ContainsKey("LOOKUP"), Describe(first));
            Assert.False(first.ContainsKey("READDIR"), Describe(first));

            var second = Requests(log, () => Shell.Run("find", mountPoint, "-ls"));
            Assert.True(second.Keys.All(k => k == "STATFS"), Describe(second)); // find asks statfs of its start once
        }
        finally
        {
            if (Unmounter.IsMounted(mountPoint, out _))
            {
                Shell.Try("umount", ["-l", mountPoint]);
            }

            if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                process.Kill();
            }
        }
    }

    /// <summary>Requests by opcode that libfuse logged while <paramref name="action"/> ran.</summary>
    private static Dictionary<string, int> Requests(StringBuilder log, Action action)
    {
        int start;
        lock (log)
        {
            start = log.Length;
        }

        action();
        Thread.Sleep(300); // libfuse logs a request before serving it; let stderr's pipe drain
        string text;
        lock (log)
        {
            text = log.ToString(start, log.Length - start);
        }

        return Opcode().Matches(text).GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.Count());
    }

    private static string Describe(Dictionary<string, int> requests) =>
        string.Join(", ", requests.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}"));

    [GeneratedRegex(@"opcode: ([A-Z_]+) \(")]
    private static partial Regex Opcode();
}
