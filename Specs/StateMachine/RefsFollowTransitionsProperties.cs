using System.Text;
using FsCheck.Xunit;
using Webc.BootSafe.Bootloader;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Updates.Session;
using Webc.BootSafe.Updates.Staging;

namespace Webc.BootSafe.Specs.StateMachine;

/// <summary>
/// Issue 15 item 5: refs/bootsafe/known-good, trial and previous in a real git repository (read back
/// with the git CLI) equal the slot record after every transition of a random life (stage, unstage,
/// boots, promotion, rollback, health failures), fired through MediumSession, the one place events
/// are fired.
/// </summary>
[Properties(Arbitrary = [typeof(SlotArbitraries)], MaxTest = 60)]
public sealed class RefsFollowTransitionsProperties
{
    private static readonly MediumLayout Layout = new("/medium");
    private static readonly Lazy<(string Repository, Revision[] Commits)> Repo = new(MakeRepository);

    [Property]
    public void Refs_equal_the_record_after_every_transition(Scenario scenario)
    {
        var (repository, commits) = Repo.Value;
        var refs = new RepositoryRefs(repository, new PosixMediumStorage());
        var storage = new MemoryMediumStorage();
        storage.CreateDirectory(Layout.ExtlinuxDirectory);
        storage.CreateDirectory(Layout.BootSafe);
        storage.ReplaceAtomically(Path.Combine(Layout.ExtlinuxDirectory, ExtlinuxAdvFile.BootImageName), FakeBootImage.Create());
        var initial = SlotRecord.Initial(commits[0], scenario.MaxTrialBoots);
        new YamlSlotStore(storage, Layout).Initialize(initial, Scenario.Start);
        refs.Follow(initial);
        var bootloader = new MediumBootloader(Layout, storage, null, FixedFileSystemProbe.Ext4);
        bootloader.Kernels.Install(initial.KnownGood, Kernel(initial.KnownGood), Kernel(initial.KnownGood));
        bootloader.Applier.Reconcile(initial);

        var now = Scenario.Start;
        foreach (var step in scenario.Steps)
        {
            now = now.AddMinutes(1);
            var session = MediumSession.Over(new YamlSlotStore(storage, Layout), bootloader.Applier, refs: refs);
            var e = Real(scenario.Resolve(step, session.Record), step, commits);
            try
            {
                var outcome = e is Stage s
                    ? new StageRevision(session).Stage(s.Revision, new KernelImages(Kernel(s.Revision), Kernel(s.Revision)), s.Force, now)
                    : session.Fire(e, now);
                Assert.Equal(Expected(outcome.Transition.After), Actual(repository));
            }
            catch (TransitionRefusedException)
            {
                Assert.Equal(Expected(session.Record), Actual(repository));
            }
        }
    }

    // The scenario's pool revisions are made-up ids; a ref needs a commit, so each maps to a real one.
    private static SlotEvent Real(SlotEvent e, Step step, Revision[] commits) => e switch
    {
        Stage s when !commits.Contains(s.Revision) => s with { Revision = commits[step.Pool] },
        BootObserved b when !commits.Contains(b.Revision) => b with { Revision = commits[step.Pool] },
        _ => e,
    };

    private static string Expected(SlotRecord r) =>
        $"known-good={r.KnownGood.Sha} previous={r.Previous?.Sha ?? "-"} trial={r.Trial?.Sha ?? "-"}";

    private static string Actual(string repository)
    {
        var refs = CommitChain.BootSafeRefs(repository);
        string Get(string name) => refs.TryGetValue(name, out var sha) ? sha : "-";
        return $"known-good={Get("known-good")} previous={Get("previous")} trial={Get("trial")}";
    }

    private static byte[] Kernel(Revision r) => Encoding.ASCII.GetBytes("k" + r.Short);

    private static (string, Revision[]) MakeRepository()
    {
        var dir = Directory.CreateTempSubdirectory("bootsafe-refs-").FullName;
        return (dir, [.. CommitChain.Make(dir, 5).Select(c => Revision.Parse(c))]);
    }
}
