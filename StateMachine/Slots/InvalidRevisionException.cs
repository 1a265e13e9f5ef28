namespace Webc.BootSafe.StateMachine.Slots;

/// <summary>A text that should name one commit does not (bad input: the Cli maps it to exit 2).</summary>
public sealed class InvalidRevisionException(string message) : FormatException(message);
