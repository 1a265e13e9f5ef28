using System.Text.Json;
using Webc.BootSafe.Bootloader;
using Webc.BootSafe.Bootloader.Simulation;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.PowerCut.RealDisk;

/// <summary>
/// What must hold on the real medium after a kill (and again after the re-run): (a) the next boots,
/// forecast by the product's ldlinux model on the real extlinux.conf and the ADV of the real
/// ldlinux.sys, run label good with known-good's whole kernel and initrd, or the armed trial the
/// record expects with its whole files, then good; (b) <c>status --json</c> loads the record
/// (recovering the previous generation with a message counts); and, after the re-run, that
/// extlinux.conf, the ADV and the record agree. Each returns the problem, or null.
/// </summary>
public sealed class RealDiskChecks(RealDiskMedium medium)
{
    private Revision KnownGood => medium.Revisions[0];

    /// <summary>(b): the record as <c>status --json</c> prints it; a recovery is reported in <paramref name="recovered"/>.</summary>
    public RecordView? Status(out string? problem, out bool recovered)
    {
        var result = medium.Cli("--json", "status");
        recovered = false;
        if (result.ExitCode != 0)
        {
            problem = $"(b) status --json: {result}";
            return null;
        }

        var record = JsonSerializer.Deserialize(result.Stdout, RecordJsonContext.Readable.RecordView);
        if (record is null)
        {
            problem = $"(b) status --json printed no record: {result}";
            return null;
        }

        recovered = record.Recovery is not null;
        problem = record.KnownGood == KnownGood.Sha ? null : $"(b) known-good is {record.KnownGood}, expected {KnownGood} (nothing here promotes)";
        return record;
    }

    public string? BootOnce() => Bootloader().BootOnce.Read();

    /// <summary>(a): the next two boots as ldlinux will run them; the real ADV is not consumed.</summary>
    public string? Boots(RecordView record)
    {
        var boots = Bootloader().Forecast.NextBoots(2);
        var first = boots[0];
        var why = string.Join("; ", first.Steps);
        if (first.Hung || first.Revision is not { } booted)
        {
            return $"(a) ldlinux boots nothing: {why}";
        }

        if (first.Label == "good")
        {
            return booted == KnownGood ? Whole(booted, first) : $"(a) label good boots {booted.Short}, not known-good {KnownGood.Short}: {why}";
        }

        if (first.Label != "trial" || !first.ViaBootOnce)
        {
            return $"(a) ldlinux boots label {first.Label} ({booted.Short}): {why}";
        }

        if (record.State != "Staged" || record.Trial != booted.Sha)
        {
            return $"(a) the armed trial {booted.Short} boots, but the record is {record.State} with trial {record.Trial ?? "-"}: {why}";
        }

        if (Whole(booted, first) is { } missing)
        {
            return missing;
        }

        var second = boots[1];
        return second.Label == "good" && second.Revision == KnownGood
            ? Whole(KnownGood, second)
            : $"(a) after the trial's boot-once, the next boot is {second.Label ?? "nothing"}: {string.Join("; ", second.Steps)}";
    }

    /// <summary>After the re-run: extlinux.conf, the ADV and the record describe the same medium.</summary>
    public string? Agree(RecordView record, string? bootOnce)
    {
        var config = Bootloader().Config.Read();
        var good = config.Find("good");
        var trial = config.Find("trial");
        if (config.Default != "good" || config.OnError != "good" || good?.Parameter("git-revision") != KnownGood.Sha)
        {
            return $"DEFAULT {config.Default}, ONERROR {config.OnError}, good -> {good?.Parameter("git-revision") ?? "-"}";
        }

        return record.State switch
        {
            "Stable" when trial is not null || bootOnce is not null =>
                $"the record is Stable but extlinux.conf has label trial ({trial?.Parameter("git-revision") ?? "-"}) or BOOTONCE is {bootOnce ?? "-"}",
            "Staged" when trial?.Parameter("git-revision") != record.Trial =>
                $"the record's trial is {record.Trial} but label trial names {trial?.Parameter("git-revision") ?? "nothing"}",
            "Staged" => medium.MissingFiles(Revision.Parse(record.Trial!)),
            "Stable" => null,
            _ => $"state {record.State}: nothing here boots, so only Stable and Staged are possible",
        };
    }

    private string? Whole(Revision revision, BootChoice choice) =>
        medium.MissingFiles(revision) is { } missing ? $"(a) label {choice.Label} boots {revision.Short}, but {missing}" : null;

    private MediumBootloader Bootloader() => new(medium.Layout, new PosixMediumStorage());
}
