using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Medium.Storage;

/// <summary>
/// The slot record as `status --json` prints it (snake_case through <see cref="RecordJsonContext"/>).
/// <see cref="Recovery"/> is set when the previous generation had to be used; <see cref="FailedSetChanged"/>
/// says when and why the failed set last changed (status only).
/// </summary>
public sealed record RecordView(
    string State,
    string KnownGood,
    string? Trial,
    string? Previous,
    int TrialBoots,
    int MaxTrialBoots,
    IReadOnlyList<FailedView> Failed,
    BootView? LastBoot,
    long Generation,
    string? Recovery,
    FailedSetChange? FailedSetChanged = null,
    int UnconfirmedKnownGoodBoots = 0)
{
    public static RecordView Of(SlotRecord r, string? recovery = null) => new(
        r.State.Name(),
        r.KnownGood.Sha,
        r.Trial?.Sha,
        r.Previous?.Sha,
        r.TrialBoots,
        r.MaxTrialBoots,
        [.. r.Failed.Select(f => new FailedView(f.Revision.Sha, f.Reason, StateFileCodec.Time(f.At)))],
        r.LastBoot is { } b ? new BootView(b.Revision.Sha, b.Slot, StateFileCodec.Time(b.At)) : null,
        r.Generation,
        recovery,
        UnconfirmedKnownGoodBoots: r.UnconfirmedKnownGoodBoots);
}

public sealed record FailedView(string Revision, string Reason, string At);

public sealed record BootView(string Revision, string? Slot, string At);
