using Webc.BootSafe.Fetch.Git;
using Webc.BootSafe.Fetch.Update;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Specs.Fetch.Support;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// A hostile mirror against every transport: limits hold before anything is trusted or inflated,
/// and only what the accepted candidate reaches lands in live/filesystem.git.
/// </summary>
public sealed class HostileFetchSpecs(FetchWorld world) : IClassFixture<FetchWorld>, IDisposable
{
    private const long Megabyte = 1024 * 1024;
    private readonly TempDirectory _dir = new("bootsafe-hostile");

    public void Dispose() => _dir.Dispose();

    private static FetchOutcome Fetch(TestMedium medium) =>
        new UpdateFetcher(medium.Layout, new PosixMediumStorage()) { Backoff = TimeSpan.FromMilliseconds(20) }
            .FetchAndVerify(medium.Parameters(), medium.Record, null);

    private string Remote(string transport, string upstream, GitDaemon? daemon) => transport switch
    {
        "path" => upstream,
        "file" => "file://" + upstream,
        _ => daemon!.Url(Path.GetFileName(upstream)),
    };

    [Theory]
    [InlineData("path")]
    [InlineData("file")]
    [InlineData("daemon")]
    public void A_one_kilobyte_pack_that_inflates_to_two_gibibytes_is_refused_before_it_is_inflated(string transport)
    {
        var up = new Upstream(_dir.Combine("upstream"));
        var first = up.Commit("v1", world.Trusted, Signing.Ssh);
        using var daemon = transport == "daemon" ? new GitDaemon(_dir.Path) : null;
        var medium = new TestMedium(_dir.Combine("medium"), up, world.Config(Remote(transport, up.Path, daemon)));
        var (zeros, bomb, packBytes) = HostilePack.Write(Path.Combine(up.Path, ".git", "objects"));
        var listing = up.Git("ls-tree", first) + $"\n100644 blob {zeros}\tzeros\n100644 blob {bomb}\tbomb\n";
        var tree = Proc.Run("git", ["mktree", "--missing"], up.Path, stdin: listing);
        up.ForceBranch(Proc.Run("git", ["commit-tree", tree, "-p", first, "-m", "unsigned bomb"], up.Path));
        var before = medium.Snapshot();

        var (e, growth) = PeakGrowth(() => Assert.Throws<OperationFailedException>(() => Fetch(medium)));

        Assert.True(packBytes < 2048, $"the hostile pack is {packBytes} bytes");
        Assert.Contains("max-object-bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains(HostilePack.ResultSize.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        SnapshotAssert.Unchanged(before, medium.Snapshot());
        Assert.True(growth < 200 * Megabyte, $"peak RSS grew by {growth / Megabyte} MB during the refused fetch");
    }

    [Theory]
    [InlineData("path")]
    [InlineData("file")]
    public void A_local_transfer_past_max_fetch_bytes_stops_before_it_fills_the_medium(string transport)
    {
        var up = new Upstream(_dir.Combine("upstream"));
        up.Commit("v1", world.Trusted, Signing.Ssh);
        var medium = new TestMedium(_dir.Combine("medium"), up, world.Config(Remote(transport, up.Path, null), "max-fetch-bytes: 1048576"));
        var big = up.Commit("v2", world.Trusted, Signing.Ssh, RandomFiles("usr/share/big", 20, Megabyte));
        var before = medium.Snapshot();
        var quarantine = Quarantine.Location(medium.Layout);
        long mostWritten = 0;
        using var stop = new CancellationTokenSource();
        var watcher = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                mostWritten = Math.Max(mostWritten, BytesUnder(quarantine));
                Thread.Sleep(2);
            }
        });
        watcher.Start();

        var e = Assert.Throws<OperationFailedException>(() => Fetch(medium));
        stop.Cancel();
        watcher.Join();

        Assert.Contains("max-fetch-bytes", e.Message, StringComparison.Ordinal);
        Assert.True(mostWritten < 2 * Megabyte, $"{mostWritten} bytes were written to the medium with a 1 MiB cap");
        SnapshotAssert.Unchanged(before, medium.Snapshot());
        Assert.False(Directory.Exists(quarantine));
        Assert.True(medium.Lacks(big));
    }

    [Fact]
    public void Objects_a_mirror_pads_an_update_with_are_not_promoted()
    {
        var up = new Upstream(_dir.Combine("upstream"));
        var first = up.Commit("v1", world.Trusted, Signing.Ssh);
        using var daemon = new GitDaemon(_dir.Path);
        var medium = new TestMedium(_dir.Combine("medium"), up, world.Config(daemon.Url("upstream")));
        // The padding rides along under a tag of the fetched name: fetched, but not the candidate's.
        var padding = up.Commit("padding", world.Trusted, Signing.Ssh, RandomFiles("usr/share/pad", 30, Megabyte));
        up.Git("tag", "master", padding);
        up.Git("reset", "-q", "--hard", first);
        var genuine = up.Commit("v2", world.Trusted, Signing.Ssh, new Dictionary<string, string?> { ["usr/share/doc/readme"] = "genuine change" });
        var sizeBefore = StoredKiB(medium);

        var outcome = Fetch(medium);

        Assert.IsType<Verified>(outcome.Verdict);
        Assert.True(outcome.Transfer.ReceivedBytes > 20 * Megabyte, $"the mirror sent only {outcome.Transfer.ReceivedBytes} bytes");
        var grew = StoredKiB(medium) - sizeBefore;
        Assert.True(grew < 1024, $"live/filesystem.git grew by {grew} KiB for a one-file update");
        Assert.True(medium.Has(genuine));
        Assert.True(medium.Lacks(padding));
        Proc.Run("git", ["fsck", "--strict", "--no-dangling"], medium.Layout.Repository);
        Proc.Run("git", ["rev-list", "--objects", genuine], medium.Layout.Repository);
    }

    private static Dictionary<string, string?> RandomFiles(string prefix, int count, long bytes) =>
        Enumerable.Range(0, count).ToDictionary(
            i => $"{prefix}/f{i}",
            _ => (string?)Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes((int)(bytes * 3 / 4))));

    private static long StoredKiB(TestMedium medium)
    {
        var lines = Proc.Run("git", ["count-objects", "-v"], medium.Layout.Repository).Split('\n');
        long Value(string key) => long.Parse(lines.Single(l => l.StartsWith(key + ": ", StringComparison.Ordinal))[(key.Length + 2)..], System.Globalization.CultureInfo.InvariantCulture);
        return Value("size") + Value("size-pack");
    }

    private static long BytesUnder(string directory)
    {
        try
        {
            return Directory.Exists(directory)
                ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f) is { Exists: true } i ? i.Length : 0)
                : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0; // a file vanished mid-walk
        }
    }

    /// <summary>
    /// How far this process's peak resident set rose above where it stood while <paramref name="act"/>
    /// ran ("5" into clear_refs resets the kernel's high-water mark).
    /// </summary>
    private static (T Result, long Growth) PeakGrowth<T>(Func<T> act)
    {
        GC.Collect();
        File.WriteAllText("/proc/self/clear_refs", "5");
        var before = Status("VmRSS");
        var result = act();
        return (result, Status("VmHWM") - before);
    }

    private static long Status(string key) =>
        long.Parse(File.ReadLines("/proc/self/status").Single(l => l.StartsWith(key + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
}
