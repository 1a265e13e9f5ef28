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
}
