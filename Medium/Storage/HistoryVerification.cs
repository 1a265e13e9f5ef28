using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Medium.Storage;

/// <summary>
/// The outcome of checking history.log: <see cref="Problems"/> empty means the chain is intact and
/// replaying it from init gives <see cref="Replayed"/>. <see cref="Notes"/> name tolerated crash
/// leftovers (a torn last append, a last line whose state replace never happened).
/// </summary>
public sealed record HistoryVerification(
    int Lines,
    SlotRecord? Replayed,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Notes)
{
    public bool Ok => Problems.Count == 0;
}
