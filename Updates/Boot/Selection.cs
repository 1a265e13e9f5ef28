using System.Collections.Immutable;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Updates.Boot;

/// <summary>
/// select's answer: the commit to mount as the root, whether the machine must reboot first, why,
/// and anything the operator should know (printed on stderr, never on stdout).
/// </summary>
public sealed record Selection(Revision Revision, bool RebootRequested, string Reason, ImmutableList<string> Warnings);
