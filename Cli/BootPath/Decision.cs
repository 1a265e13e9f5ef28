using System.Collections.Immutable;
using Webc.BootSafe.StateMachine.Machine;

namespace Webc.BootSafe.Cli.BootPath;

/// <summary>A committed transition and what carrying out its actions did; <see cref="RebootReason"/> is set when the machine must reboot.</summary>
public sealed record Decision(Transition Transition, ImmutableList<string> Steps, string? RebootReason, string? Recovery)
{
    /// <summary>Problems the bootloader worked around while carrying out the transition.</summary>
    public ImmutableList<string> Warnings { get; init; } = [];

    public bool RebootRequested => RebootReason is not null;
}
