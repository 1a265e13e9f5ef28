using System.Globalization;
using Webc.BootSafe.Bootloader.Applying;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Bootloader.Kernels;
using Webc.BootSafe.Fetch.Rollout;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Updates.Fleet;
using Webc.BootSafe.Updates.Session;
using Webc.BootSafe.Updates.Staging;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// Issue 18 item 2 with real git: a signed release carries .bootsafe/rollout.yaml; a kiosk whose wave
/// is closed fetches and verifies it but stages nothing ("not yet"); a newer release's policy can halt
/// the rollout or widen it to this kiosk, which then stages it.
/// </summary>
public sealed class RolloutFetchSpecs(FetchWorld world) : IClassFixture<FetchWorld>, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private const string MachineId = "5f0c2a9be1d34b6f8a7c6d5e4f3a2b1c";

    private readonly TempDirectory _dir = new("bootsafe-rollout");
    private readonly MemoryBootOnce _bootOnce = new();
    private readonly PosixMediumStorage _storage = new();

    public void Dispose() => _dir.Dispose();

    private static string Policy(params (int BasisPoints, DateTimeOffset NotBefore)[] waves) =>
        "waves:\n" + string.Concat(waves.Select(w => string.Create(
            CultureInfo.InvariantCulture,
            $"  - percent: {(w.BasisPoints / 100m).ToString("0.##", CultureInfo.InvariantCulture)}\n    not-before: {w.NotBefore.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\n")));

    private UpdateResult Fetch(Support.TestMedium medium, DateTimeOffset now) =>
        new FetchAndStage(medium.Layout, _storage, () => MediumSession.Over(
                new YamlSlotStore(_storage, medium.Layout),
                new BootloaderApplier(medium.Layout, _storage, _bootOnce, new BootEntryOptions()),
                MediumLock.Acquire(medium.Layout.LockFile, TimeSpan.FromSeconds(5)),
                new RepositoryRefs(medium.Layout.Repository, _storage)))
            {
                Backoff = TimeSpan.FromMilliseconds(20),
                Rollout = new RolloutGate(medium.Layout) { MachineIdFile = _dir.Combine("machine-id"), Clock = () => now },
            }
            .Run(medium.Parameters(), stage: true, null);

    [Fact]
    public void A_closed_wave_stages_nothing_a_newer_policy_halts_and_a_widened_one_stages()
    {
        File.WriteAllText(_dir.Combine("machine-id"), MachineId + "\n");
        var bucket = RolloutBucket.Of(MachineId).Value;
        var up = new Upstream(_dir.Combine("upstream"));
        up.Commit("v1", world.Trusted, Signing.Ssh);
        var medium = new Support.TestMedium(_dir.Combine("medium"), up, world.Config(up.Path));
        using (MediumLock.Acquire(medium.Layout.LockFile, TimeSpan.FromSeconds(5)))
        {
            new YamlSlotStore(_storage, medium.Layout).Initialize(medium.Record, DateTimeOffset.UnixEpoch);
        }

        new KernelFiles(medium.Layout, _storage).Install(medium.Record.KnownGood, "kernel v1"u8, "initrd v1"u8);
        new ExtlinuxConfigFile(medium.Layout, _storage).Write(new BootEntries(medium.Record.KnownGood), new BootEntryOptions());
        SlotRecord Record() => new YamlSlotStore(_storage, medium.Layout).Load().Record;
        var path = RolloutPolicyFile.PathInTree;

        // The whole fleet, but only from tomorrow.
        var v2 = Revision.Parse(up.Commit("v2", world.Trusted, Signing.Ssh, new Dictionary<string, string?> { [path] = Policy((10_000, T0.AddDays(1))) }));
        var closed = Fetch(medium, T0);
        Assert.Contains("not yet", closed.Summary, StringComparison.Ordinal);
        Assert.Contains("wave 1", closed.Summary, StringComparison.Ordinal);
        Assert.Contains("opens at 2026-12-02T08:00:00Z", closed.Summary, StringComparison.Ordinal);
        Assert.Null(closed.Staged);
        Assert.Equal(SlotState.Stable, Record().State);
        Assert.False(File.Exists(medium.Layout.KernelFile(v2)));
        Assert.Null(_bootOnce.Value);

        // The waiting kiosk keeps the verified release (refs/bootsafe/fetched): its next poll downloads nothing.
        var again = Fetch(medium, T0.AddHours(1));
        Assert.Contains("not yet", again.Summary, StringComparison.Ordinal);
        Assert.Equal(0, again.Fetch!.Transfer.ReceivedObjects);

        // A newer release halts the rollout (nobody now, everyone only in 2100), even after v2's wave opened.
        up.Commit("v3", world.Trusted, Signing.Ssh, new Dictionary<string, string?> { [path] = Policy((0, T0), (10_000, new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero))) });
        var halted = Fetch(medium, T0.AddDays(2));
        Assert.Contains("not yet", halted.Summary, StringComparison.Ordinal);
        Assert.Contains("opens at 2100-01-01T00:00:00Z", halted.Summary, StringComparison.Ordinal);
        Assert.Equal(SlotState.Stable, Record().State);

        // Just short of this kiosk's bucket: still not yet; widened by one bucket: staged.
        up.Commit("v4", world.Trusted, Signing.Ssh, new Dictionary<string, string?> { [path] = Policy((bucket, T0)) });
        Assert.Contains("is halted for this kiosk", Fetch(medium, T0.AddDays(2)).Summary, StringComparison.Ordinal);
        Assert.Equal(SlotState.Stable, Record().State);
        var v5 = Revision.Parse(up.Commit("v5", world.Trusted, Signing.Ssh, new Dictionary<string, string?> { [path] = Policy((bucket + 1, T0)) }));
        var open = Fetch(medium, T0.AddDays(2));
        Assert.Contains("staged as trial", open.Summary, StringComparison.Ordinal);
        Assert.Equal((SlotState.Staged, v5), (Record().State, Record().Trial));
    }
}
