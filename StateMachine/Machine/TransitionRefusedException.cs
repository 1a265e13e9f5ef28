using Webc.BootSafe.StateMachine.Errors;

namespace Webc.BootSafe.StateMachine.Machine;

/// <summary>The event is not allowed in the current state; the record is unchanged.</summary>
public sealed class TransitionRefusedException(string message) : OperationFailedException(message);
