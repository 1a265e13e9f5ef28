using System.Text.RegularExpressions;
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
    private static OracleRepo Repo => OracleRepo.Shared;

    [HostFact("fusermount3")]
    public void A_walk_needs_no_open_or_lookup_and_a_second_walk_no_request()
    {
        using var mounted = new ForegroundMount(Repo.Packed, Repo.Second, "debug");

        var first = Requests(mounted.StderrDuring(() => Shell.Run("find", mounted.Root, "-ls")));
        Assert.True(first.GetValueOrDefault("READDIRPLUS") > 0, Describe(first));
        Assert.True(first.GetValueOrDefault("OPENDIR") <= 1, Describe(first)); // the first one learns ENOSYS
        Assert.False(first.ContainsKey("RELEASEDIR"), Describe(first));
        Assert.False(first.ContainsKey("LOOKUP"), Describe(first));
        Assert.False(first.ContainsKey("READDIR"), Describe(first));

        var second = Requests(mounted.StderrDuring(() => Shell.Run("find", mounted.Root, "-ls")));
        Assert.True(second.Keys.All(k => k == "STATFS"), Describe(second)); // find asks statfs of its start once
    }

    /// <summary>
    /// A sequential read reaches the daemon in requests of 1 MiB, not the kernel's default 128 KiB
    /// read-ahead: the mount raises its read-ahead (ReadAhead) and keeps it through init.
    /// </summary>
    [HostFact("fusermount3")]
    public void A_sequential_read_reaches_the_daemon_in_1_MiB_requests()
    {
        const int Mebibytes = 16;
        using var mounted = new ForegroundMount(Repo.Packed, Repo.First, "debug");

        var requests = Requests(mounted.StderrDuring(() =>
            Shell.Run("dd", $"if={mounted.Root}/big/large.bin", "of=/dev/null", "bs=1M", $"count={Mebibytes}", "status=none")));
        var reads = requests.GetValueOrDefault("READ");
        Assert.True(reads > 0 && reads <= Mebibytes + 4, $"{reads} READ requests for {Mebibytes} MiB (at 128 KiB each: {Mebibytes * 8}); {Describe(requests)}");
    }

    /// <summary>Requests by opcode in a stretch of libfuse's debug log.</summary>
    private static Dictionary<string, int> Requests(string log) =>
        Opcode().Matches(log).GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.Count());

    private static string Describe(Dictionary<string, int> requests) =>
        string.Join(", ", requests.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}"));

    [GeneratedRegex(@"opcode: ([A-Z_]+) \(")]
    private static partial Regex Opcode();
}
