using Webc.BootSafe.Bootloader.Applying;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Bootloader.Kernels;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Updates.Session;
using Webc.BootSafe.Updates.Staging;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// Issue 18 item 5 with real git: `fetch --plan` fetches and verifies the candidate, stages nothing,
/// and reports what the upgrade changes against known-good, sizes from the objects (checked against `git`).
/// </summary>
public sealed class FetchPlanSpecs(FetchWorld world) : IClassFixture<FetchWorld>, IDisposable
{
    private readonly TempDirectory _dir = new("bootsafe-plan");
    private readonly MemoryBootOnce _bootOnce = new();
    private readonly PosixMediumStorage _storage = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Plan_lists_added_changed_and_removed_files_with_sizes_and_the_kernel_change_and_stages_nothing()
    {
        var up = new Upstream(_dir.Combine("upstream"));
        up.Commit("v1", world.Trusted, Signing.Ssh, new Dictionary<string, string?>
        {
            ["etc/keep"] = "same",
            ["etc/motd"] = "hello",
            ["usr/share/old/gone.txt"] = new string('x', 300),
        });
        var medium = new Support.TestMedium(_dir.Combine("medium"), up, world.Config(up.Path));
        using (MediumLock.Acquire(medium.Layout.LockFile, TimeSpan.FromSeconds(5)))
        {
            new YamlSlotStore(_storage, medium.Layout).Initialize(medium.Record, DateTimeOffset.UnixEpoch);
        }

        new KernelFiles(medium.Layout, _storage).Install(medium.Record.KnownGood, "kernel v1"u8, "initrd v1"u8);
        new ExtlinuxConfigFile(medium.Layout, _storage).Write(new BootEntries(medium.Record.KnownGood), new BootEntryOptions());
        var next = Revision.Parse(up.Commit("v2", world.Trusted, Signing.Ssh, new Dictionary<string, string?>
        {
            ["etc/motd"] = "hello, world",
            ["usr/share/old/gone.txt"] = null,
            ["usr/share/new/added.bin"] = new string('y', 1234),
            [Upstream.Kernel] = "kernel v2, a new one",
        }));
        var fetch = new FetchAndStage(medium.Layout, _storage, () => MediumSession.Over(
            new YamlSlotStore(_storage, medium.Layout),
            new BootloaderApplier(medium.Layout, _storage, _bootOnce, new BootEntryOptions()),
            MediumLock.Acquire(medium.Layout.LockFile, TimeSpan.FromSeconds(5)),
            new RepositoryRefs(medium.Layout.Repository, _storage)))
        { Backoff = TimeSpan.FromMilliseconds(20) };

        var plan = UpgradePlanner.Plan(fetch, medium.Layout, medium.Parameters(), medium.Record, null);

        Assert.Equal(next, plan.Candidate);
        Assert.Contains("nothing staged", plan.Summary, StringComparison.Ordinal);
        Assert.True(plan.ReceivedObjects > 0 && plan.ReceivedBytes > 0, $"{plan.ReceivedObjects} objects, {plan.ReceivedBytes} bytes");
        Assert.True(plan.KernelChanges);
        var byPath = plan.Changes.ToDictionary(c => c.Path);
        Assert.Equal(("added", (long?)null, (long?)1234), (byPath["usr/share/new/added.bin"].Kind, byPath["usr/share/new/added.bin"].OldSize, byPath["usr/share/new/added.bin"].NewSize));
        Assert.Equal(("removed", (long?)300, (long?)null), (byPath["usr/share/old/gone.txt"].Kind, byPath["usr/share/old/gone.txt"].OldSize, byPath["usr/share/old/gone.txt"].NewSize));
        Assert.Equal(("changed", (long?)5, (long?)12), (byPath["etc/motd"].Kind, byPath["etc/motd"].OldSize, byPath["etc/motd"].NewSize));
        Assert.Equal("changed", byPath[Upstream.Kernel].Kind);
        Assert.False(byPath.ContainsKey("etc/keep"));

        // The same list as git's own diff of the two commits (the oracle).
        var git = up.Git("diff", "--name-status", "--no-renames", medium.Record.KnownGood.Sha, next.Sha)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t'))
            .ToDictionary(p => p[1], p => p[0] switch { "A" => "added", "D" => "removed", _ => "changed" });
        Assert.Equal(git.OrderBy(p => p.Key, StringComparer.Ordinal), plan.Changes.ToDictionary(c => c.Path, c => c.Kind).OrderBy(p => p.Key, StringComparer.Ordinal));

        var record = new YamlSlotStore(_storage, medium.Layout).Load().Record;
        Assert.Equal(SlotState.Stable, record.State);
        Assert.False(File.Exists(medium.Layout.KernelFile(next)));
        Assert.Null(_bootOnce.Value);
    }
}
