using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.PowerCut.RealDisk;

/// <summary>
/// A CLI command the real-disk check kills: its arguments, the group whose uninterrupted duration
/// bounds the kill delay, and what a run that exits 0 must leave (the record and BOOTONCE).
/// </summary>
public abstract record DiskCommand(string Kind, IReadOnlyList<string> Arguments)
{
    /// <summary>Whether the machine must refuse it (exit 1, nothing written) on a medium in this state.</summary>
    public virtual bool Refused(RecordView record, string? bootOnce) => false;

    /// <summary>The problem with what a run that exited 0 left, or null.</summary>
    public abstract string? AfterSuccess(RecordView record, string? bootOnce);

    public sealed override string ToString() => string.Join(' ', Arguments.Select(a => a.Length == 40 ? a[..7] : a));
}

/// <summary><c>stage REV</c> from the medium's repository.</summary>
public sealed record StageDisk(Revision Revision) : DiskCommand("stage", ["stage", Revision.Sha])
{
    /// <summary>
    /// As the slot table says (docs/state-machine.md): refused for known-good or a failed revision; over a
    /// staged trial that has not come up, another revision replaces it (Staged -> Staged) and the trial
    /// itself is finished (boot-once armed) or already staged: exit 0 either way.
    /// </summary>
    public override bool Refused(RecordView record, string? bootOnce) =>
        record.KnownGood == Revision.Sha || record.Failed.Any(f => f.Revision == Revision.Sha);

    public override string? AfterSuccess(RecordView record, string? bootOnce) =>
        record.State == "Staged" && record.Trial == Revision.Sha && bootOnce?.Split(' ')[0] == "trial"
            ? null
            : $"stage exited 0 but left {record.State} trial {record.Trial ?? "-"} BOOTONCE {bootOnce ?? "-"}";
}

public sealed record UnstageDisk() : DiskCommand("unstage", ["unstage"])
{
    public override bool Refused(RecordView record, string? bootOnce) => record.State != "Staged";

    public override string? AfterSuccess(RecordView record, string? bootOnce) =>
        record.State == "Stable" && record.Trial is null && bootOnce is null
            ? null
            : $"unstage exited 0 but left {record.State} trial {record.Trial ?? "-"} BOOTONCE {bootOnce ?? "-"}";
}

/// <summary><c>bootloader once trial</c>: the operator arms the trial label by hand.</summary>
public sealed record OnceTrialDisk() : DiskCommand("once trial", ["bootloader", "once", "trial"])
{
    public override string? AfterSuccess(RecordView record, string? bootOnce) =>
        bootOnce == "trial" ? null : $"bootloader once trial exited 0 but BOOTONCE is {bootOnce ?? "-"}";
}

/// <summary><c>bootloader once --clear</c>.</summary>
public sealed record OnceClearDisk() : DiskCommand("once --clear", ["bootloader", "once", "--clear"])
{
    public override string? AfterSuccess(RecordView record, string? bootOnce) =>
        bootOnce is null ? null : $"bootloader once --clear exited 0 but BOOTONCE is {bootOnce}";
}
