using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.StateMachine.Machine;

namespace Webc.BootSafe.Bootloader.Applying;

/// <summary>A prepared transition: its entries were checked before any write; a failed disarm may replace them.</summary>
public sealed class BootloaderWork(Transition transition, BootEntries? entries)
{
    public Transition Transition { get; } = transition;

    public BootEntries? Entries { get; internal set; } = entries;
}
