using System.Diagnostics;
using Webc.BootSafe.Specs.PowerCut.RealDisk;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.Medium.Storage;
using Xunit.Abstractions;

namespace Webc.BootSafe.Specs.PowerCut;

/// <summary>
/// Issue 6, the real-disk check: on a loop-mounted ext4 with the real extlinux installed, the AOT CLI
/// runs `stage`, `unstage` and `bootloader once` and is SIGKILLed at random moments (a delay drawn in
/// [0, the command's uninterrupted duration]). After each kill: umount, drop the page cache, `e2fsck
/// -fn` must be clean, mount again; then the next boots must be known-good or the armed trial with
/// whole files, the record must load, and the killed command must re-run to completion or to a clean
/// refusal that leaves extlinux.conf, the ADV and the record in agreement. SIGKILL kills the process
/// at any instruction but keeps the page cache: power loss (unsynced data lost) is the property's job
/// (EveryCrashPointProperties); this one brings the real file system, the real ldlinux.sys and e2fsck.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class RealDiskKillSpecs(ITestOutputHelper output)
{
    private const int Kills = 110;
    private const int MinimumMidCommandKills = 30;

    /// <summary>Set to replay a run: the seed is printed by every run.</summary>
    private const string SeedVariable = "BOOTSAFE_REALDISK_SEED";

    [HostFact("extlinux", "mkfs.ext4")]
    public void Sigkill_at_random_moments_leaves_a_clean_ext4_that_boots_known_good_or_the_armed_trial()
    {
        var seed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } s ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next();
        var random = new Random(seed);
        output.WriteLine($"seed {seed} (replay with {SeedVariable}={seed})");
        var clock = Stopwatch.StartNew();
        using var medium = RealDiskMedium.Create(revisions: 3);
        var checks = new RealDiskChecks(medium);
        var durations = Measure(medium);
        output.WriteLine("uninterrupted: " + string.Join(", ", durations.Select(d => $"{d.Key} {d.Value.TotalMilliseconds:F0} ms")));

        int midCommand = 0, afterCompletion = 0, recovered = 0, refusedReruns = 0;
        var midCommandByKind = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var record = Loaded(checks, "after init", out _);
        for (var kill = 1; kill <= Kills; kill++)
        {
            var command = Pick(random, medium, record);
            var delay = durations[command.Kind] * random.NextDouble();
            var outcome = KillableCommand.RunAndKill(medium.Disk.Root, command.Arguments, delay);
            _ = outcome.Killed ? midCommand++ : afterCompletion++;
            midCommandByKind[command.Kind] = midCommandByKind.GetValueOrDefault(command.Kind) + (outcome.Killed ? 1 : 0);
            var context = $"seed {seed}, kill {kill}: '{command}' {outcome}";

            var fsck = medium.Disk.UnmountAndCheck();
            Assert.True(fsck.ExitCode == 0, $"{context}: e2fsck -fn {medium.Disk.Device} exited {fsck.ExitCode}:\n{fsck.Output}{fsck.Error}");
            medium.Disk.Mount();

            record = Loaded(checks, context, out var wasRecovered);
            recovered += wasRecovered ? 1 : 0;
            Assert.Null(Prefixed(context, checks.Boots(record)));

            var onceBefore = checks.BootOnce();
            var refused = command.Refused(record, onceBefore);
            var generationBefore = record.Generation;
            var rerun = medium.Cli([.. command.Arguments]);
            Assert.True(rerun.ExitCode == (refused ? 1 : 0), $"{context}: (c) re-running it on {record.State} (expected {(refused ? "a refusal, exit 1" : "exit 0")}): {rerun}");
            refusedReruns += refused ? 1 : 0;
            record = Loaded(checks, context + ", after the re-run", out _);
            var once = checks.BootOnce();
            var unchanged = record.Generation == generationBefore && once == onceBefore ? null : $"the refusal changed the medium: generation {generationBefore} -> {record.Generation}, BOOTONCE {onceBefore ?? "-"} -> {once ?? "-"}";
            Assert.Null(Prefixed(context + $", (c) after the re-run (exit {rerun.ExitCode})", refused ? unchanged : command.AfterSuccess(record, once)));
            Assert.Null(Prefixed(context + $", (c) after the re-run (exit {rerun.ExitCode})", checks.Agree(record, once)));
            Assert.Null(Prefixed(context + ", after the re-run", checks.Boots(record)));
            output.WriteLine($"{kill,3}: {command,-14} {outcome}; re-run exit {rerun.ExitCode}; now {record.State}{(record.Trial is { } t ? " " + t[..7] : "")}, BOOTONCE {once ?? "-"}");
        }

        Assert.Null(LeftoversAfterAFullCycle(medium, checks));
        var line = $"real-disk: {Kills} SIGKILLs ({midCommand} mid-command: {string.Join(", ", midCommandByKind.Select(k => $"{k.Value} {k.Key}"))}; " +
                   $"{afterCompletion} after completion) on loop ext4, e2fsck clean every time, {recovered} state recoveries, " +
                   $"{refusedReruns} re-runs refused cleanly, seed {seed}, {clock.Elapsed.TotalSeconds:F0} s";
        output.WriteLine(line);
        Console.WriteLine(line);
        Assert.True(midCommand >= MinimumMidCommandKills, $"only {midCommand} kills landed mid-command (at least {MinimumMidCommandKills} needed): {line}");
    }

    /// <summary>
    /// Whatever the kills left in live/ (temp files, a withdrawn trial's files when unstage died
    /// after its commit) is gone once a stage and an unstage complete: only known-good's files remain.
    /// </summary>
    private static string? LeftoversAfterAFullCycle(RealDiskMedium medium, RealDiskChecks checks)
    {
        var record = Loaded(checks, "after the kills", out _);
        if (record.State == "Stable")
        {
            medium.Ok("stage", medium.Revisions[1].Sha);
        }

        medium.Ok("unstage");
        var good = medium.Revisions[0];
        var left = Directory.EnumerateFiles(medium.Layout.Live).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        string[] expected = ["initrd-" + good.Sha, "vmlinuz-" + good.Sha];
        return left.SequenceEqual(expected) ? medium.MissingFiles(good) : $"after stage and unstage, live/ holds {string.Join(", ", left)}";
    }

    /// <summary>
    /// Each command's uninterrupted duration, from a cold page cache as the kills see it: the shorter
    /// of two runs (the first run after set-up pays one-off costs). Leaves the medium Stable.
    /// </summary>
    private static Dictionary<string, TimeSpan> Measure(RealDiskMedium medium)
    {
        var durations = new Dictionary<string, TimeSpan>();
        DiskCommand[] sequence =
        [
            new StageDisk(medium.Revisions[1]), new OnceClearDisk(), new OnceTrialDisk(), new UnstageDisk(),
            new StageDisk(medium.Revisions[2]), new OnceClearDisk(), new OnceTrialDisk(), new UnstageDisk(),
        ];
        foreach (var command in sequence)
        {
            var fsck = medium.Disk.UnmountAndCheck();
            Assert.True(fsck.ExitCode == 0, $"e2fsck before measuring: {fsck.Output}{fsck.Error}");
            medium.Disk.Mount();
            var took = KillableCommand.Measure(medium.Disk.Root, command.Arguments, out var result);
            Assert.True(result.ExitCode == 0, $"'{command}' uninterrupted: {result}");
            durations[command.Kind] = durations.TryGetValue(command.Kind, out var earlier) && earlier < took ? earlier : took;
        }

        return durations;
    }

    /// <summary>Mostly commands that write in the current state; sometimes one the machine must refuse.</summary>
    private static DiskCommand Pick(Random random, RealDiskMedium medium, RecordView record)
    {
        var r2 = new StageDisk(medium.Revisions[1]);
        var r3 = new StageDisk(medium.Revisions[2]);
        DiskCommand[] choices = record.State == "Staged"
            ? [new UnstageDisk(), new UnstageDisk(), new OnceTrialDisk(), new OnceClearDisk(), r2, r3]
            : [r2, r3, r2, r3, new OnceClearDisk(), new UnstageDisk()];
        return choices[random.Next(choices.Length)];
    }

    private static RecordView Loaded(RealDiskChecks checks, string context, out bool recovered)
    {
        var record = checks.Status(out var problem, out recovered);
        Assert.Null(Prefixed(context, problem));
        return record!;
    }

    private static string? Prefixed(string context, string? problem) => problem is null ? null : $"{context}: {problem}";
}
