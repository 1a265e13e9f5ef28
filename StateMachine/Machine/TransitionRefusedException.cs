namespace Webc.BootSafe.StateMachine.Machine;

/// <summary>The machine does not allow this event in this state; nothing was written (exit 1).</summary>
public sealed class TransitionRefusedException(string message) : InvalidOperationException(message);
