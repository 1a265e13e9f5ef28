using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Updates.Operator;

/// <summary>
/// `status`: the slot record and when and why the failed set last changed, read without the lock
/// (state.yaml is only ever replaced whole). <see cref="RecordView.Recovery"/> says when the previous
/// generation had to be used.
/// </summary>
public static class ReadStatus
{
    public static RecordView Run(MediumLayout layout)
    {
        var store = new YamlSlotStore(new PosixMediumStorage(), layout);
        var load = store.Load();
        return RecordView.Of(load.Record, load.Recovery) with
        {
            FailedSetChanged = FailedSetChange.Of(load.Record, store.History.ReadLines(out _)),
        };
    }

    /// <summary>The status as text, one line each, values aligned.</summary>
    public static IEnumerable<string> Lines(RecordView view)
    {
        yield return $"state:           {view.State}";
        yield return $"known-good:      {view.KnownGood}";
        yield return $"trial:           {view.Trial ?? "-"}";
        yield return $"previous:        {view.Previous ?? "-"}";
        yield return $"trial boots:     {view.TrialBoots} of {view.MaxTrialBoots}";
        yield return $"generation:      {view.Generation}";
        if (view.LastBoot is { } b)
        {
            yield return $"last boot:       {b.Revision} via {b.Slot ?? "?"} at {b.At}";
        }

        foreach (var f in view.Failed)
        {
            yield return $"failed:          {f.Revision} at {f.At}: {f.Reason}";
        }

        if (view.FailedSetChanged is { } c)
        {
            yield return $"failed set:      last changed {c.At}: {c.Revision} {c.Change} ({c.Reason})";
        }
    }
}
