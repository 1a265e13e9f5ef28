using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.Bootloader.Simulation;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Bootloader;

/// <summary>
/// For any sequence of stages and boot outcomes, with faults (power lost after any write, a failed
/// boot-time ADV write): DEFAULT always names a revision that passed health (or the initial one)
/// whose kernel and initrd exist, on every crash image; and a bad trial is off the machine within a
/// bounded number of boots.
/// </summary>
public sealed class BootSequenceProperties
{
    public sealed record Scenario(int MaxTrialBoots, KioskStep[] Steps)
    {
        public override string ToString() => $"max {MaxTrialBoots}: " + string.Join(", ", Steps.Select(s => s.ToString()));
    }

    private static Gen<KioskStep> Step(bool faults) =>
        from kind in Gen.Frequency((1, Gen.Constant(0)), (3, Gen.Constant(1)))
        from behaviour in Gen.Elements(BootOutcome.Healthy, BootOutcome.KernelPanics, BootOutcome.InitramfsFails, BootOutcome.HealthFails)
        from cut in faults ? Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(1, 16))) : Gen.Constant(0)
        from advFails in faults ? Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true))) : Gen.Constant(false)
        from pick in Gen.Choose(0, 64)
        select kind == 0 ? (KioskStep)new StageStep(behaviour, cut, pick) : new BootStep(advFails, cut, pick);

    private static Arbitrary<Scenario> Scenarios(bool faults) =>
        (from max in Gen.Choose(1, 2)
         from steps in Gen.ListOf(Step(faults)).Select(l => l.Take(24).ToArray())
         select new Scenario(max, steps)).ToArbitrary();

    [Property(MaxTest = 150)]
    public Property Default_always_boots_a_healthy_revision_and_bad_trials_leave_in_bounded_boots() =>
        Prop.ForAll(Scenarios(faults: true), scenario =>
        {
            var kiosk = new SimulatedKiosk(new RecordingMediumStorage(), "/medium", scenario.MaxTrialBoots);
            var bounded = RunAndMeasure(kiosk, scenario);
            return (kiosk.Violations.Count == 0).Label(string.Join("\n\n", kiosk.Violations.Take(1)))
                .And(bounded is null).Label(bounded ?? string.Empty);
        });

    /// <summary>The same property on a real directory (no power cuts there), so the in-memory medium is checked against POSIX.</summary>
    [Property(MaxTest = 12)]
    public Property On_a_real_directory_the_kiosk_behaves_as_on_the_in_memory_medium() =>
        Prop.ForAll(Scenarios(faults: false), scenario =>
        {
            var root = Directory.CreateTempSubdirectory("bootsafe-kiosk-").FullName;
            try
            {
                var real = new SimulatedKiosk(new PosixMediumStorage(), root, scenario.MaxTrialBoots);
                var fake = new SimulatedKiosk(new RecordingMediumStorage(), root, scenario.MaxTrialBoots);
                var realBoots = scenario.Steps.Select(s => Describe(real.Run(s))).ToList();
                var fakeBoots = scenario.Steps.Select(s => Describe(fake.Run(s))).ToList();
                var realRecord = real.Record with { LastBoot = null };
                var fakeRecord = fake.Record with { LastBoot = null };
                return (real.Violations.Count == 0).Label(string.Join("\n", real.Violations.Take(1)))
                    .And(realBoots.SequenceEqual(fakeBoots)).Label($"boots differ:\nreal {string.Join(", ", realBoots)}\nfake {string.Join(", ", fakeBoots)}")
                    .And(realRecord.State == fakeRecord.State && realRecord.KnownGood == fakeRecord.KnownGood && realRecord.Trial == fakeRecord.Trial)
                    .Label("records differ")
                    .And(real.Storage.ListFiles(real.Layout.Live).SequenceEqual(fake.Storage.ListFiles(fake.Layout.Live))).Label("kernel files differ");
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
        });

    [Fact]
    public void A_panicking_trial_boots_once_then_known_good_takes_over()
    {
        var kiosk = new SimulatedKiosk(new RecordingMediumStorage(), "/medium", 1);
        kiosk.Run(new StageStep(BootOutcome.KernelPanics));
        var trial = kiosk.Record.Trial!.Value;

        var first = kiosk.Run(new BootStep());
        var second = kiosk.Run(new BootStep());

        Assert.Equal(("trial", trial), (first!.Label, first.Revision!.Value));
        Assert.Equal(("good", kiosk.Initial), (second!.Label, second.Revision!.Value));
        Assert.Equal(SlotState.RolledBack, kiosk.Record.State);
        Assert.True(kiosk.Record.HasFailed(trial));
        Assert.Empty(kiosk.Violations);
    }

    [Fact]
    public void A_failed_boot_time_adv_write_repeats_the_trial_and_the_machine_still_gets_off_it()
    {
        var kiosk = new SimulatedKiosk(new RecordingMediumStorage(), "/medium", 1);
        kiosk.Run(new StageStep(BootOutcome.InitramfsFails));
        var trial = kiosk.Record.Trial!.Value;

        var first = kiosk.Run(new BootStep(AdvWriteFails: true));
        var second = kiosk.Run(new BootStep());
        var third = kiosk.Run(new BootStep());

        Assert.Equal(trial, first!.Revision);
        Assert.Equal(trial, second!.Revision); // the once entry repeated; BootSafe sees the trial over budget and disarms
        Assert.Equal(kiosk.Initial, third!.Revision);
        Assert.Equal(SlotState.RolledBack, kiosk.Record.State);
        Assert.Empty(kiosk.Violations);
    }

    [Fact]
    public void A_healthy_trial_is_promoted_and_the_old_known_good_becomes_previous()
    {
        var kiosk = new SimulatedKiosk(new RecordingMediumStorage(), "/medium", 1);
        kiosk.Run(new StageStep(BootOutcome.Healthy));
        var trial = kiosk.Record.Trial!.Value;

        kiosk.Run(new BootStep());
        var next = kiosk.Run(new BootStep());

        Assert.Equal(("good", trial), (next!.Label, next.Revision!.Value));
        Assert.Equal(kiosk.Initial, kiosk.Record.Previous);
        Assert.Empty(kiosk.Violations);
    }

    private static string Describe(Webc.BootSafe.Bootloader.Simulation.BootChoice? choice) =>
        choice is null ? "-" : $"{choice.Label}:{choice.Revision?.Short}";

    /// <summary>
    /// Runs the scenario; returns why the liveness bound was broken, or null. The bound: a bad trial
    /// boots at most max_trial_boots times, and is off the machine (no trial in the record) within
    /// 2 x max_trial_boots boots of being staged (max+1 when max is 1: each retry needs a
    /// known-good boot in between), plus one boot per fault met in that window.
    /// </summary>
    private static string? RunAndMeasure(SimulatedKiosk kiosk, Scenario scenario)
    {
        Revision? watched = null;
        int boots = 0, trialBoots = 0, faults = 0;
        foreach (var step in scenario.Steps)
        {
            var choice = kiosk.Run(step);
            if (watched is { } bad)
            {
                if (step is BootStep)
                {
                    boots++;
                }

                if (choice?.Revision == bad)
                {
                    trialBoots++;
                }

                if (step.Cut > 0 || step is BootStep { AdvWriteFails: true })
                {
                    faults++;
                }

                if (trialBoots > scenario.MaxTrialBoots + faults || boots > 2 * scenario.MaxTrialBoots + faults)
                {
                    return $"bad trial {bad.Short}: {trialBoots} trial boots, {boots} boots, {faults} faults (max {scenario.MaxTrialBoots})\n{string.Join('\n', kiosk.Trace)}";
                }
            }

            var record = kiosk.Record;
            if (record.Trial is { } t && record.State is SlotState.Staged or SlotState.Trying && kiosk.BehaviourOf(t) != BootOutcome.Healthy)
            {
                if (watched != t)
                {
                    (watched, boots, trialBoots, faults) = (t, 0, 0, 0);
                }
            }
            else
            {
                watched = null;
            }
        }

        return null;
    }
}
