using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Updates.Operator;

/// <summary>`history [--verify]`: the history's lines, and with verify the hash chain and replay verdict.</summary>
public sealed record ReadHistory(IReadOnlyList<HistoryLine> Lines, HistoryVerification? Verdict)
{
    public static ReadHistory Run(MediumLayout layout, bool verify)
    {
        var store = new YamlSlotStore(new PosixMediumStorage(), layout);
        var lines = store.History.ReadLines(out _);
        if (lines.Count == 0 && !store.Exists)
        {
            throw new OperationFailedException($"no history at {layout.HistoryFile}: this medium was never initialized");
        }

        return new ReadHistory(lines, verify ? store.History.Verify(store.Exists ? store.Load().Record : null) : null);
    }
}
