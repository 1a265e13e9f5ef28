namespace Webc.BootSafe.Medium.Errors;

/// <summary>
/// A well-formed request could not be carried out (exit code 1): a refused transition, an unreadable
/// medium, a failed verification. Thrown before anything on the boot medium changed, or after a
/// crash-safe sequence left it in a consistent state.
/// </summary>
public class OperationFailedException(string message, Exception? inner = null) : Exception(message, inner);
