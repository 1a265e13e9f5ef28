using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Bootloader.Extlinux;

/// <summary>The labels BootSafe owns in extlinux.conf and the revision each one boots.</summary>
public sealed record BootEntries(Revision Good, Revision? Trial = null, Revision? Previous = null)
{
    /// <summary>In the order they are written: good first, since DEFAULT and ONERROR name it.</summary>
    public IEnumerable<(SlotLabel Label, Revision Revision)> Labels
    {
        get
        {
            yield return (SlotLabel.Good, Good);
            if (Trial is { } trial)
            {
                yield return (SlotLabel.Trial, trial);
            }

            if (Previous is { } previous)
            {
                yield return (SlotLabel.Previous, previous);
            }
        }
    }

    public IEnumerable<Revision> Revisions => Labels.Select(l => l.Revision).Distinct();
}
