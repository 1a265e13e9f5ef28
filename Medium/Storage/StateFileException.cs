namespace Webc.BootSafe.Medium.Storage;

/// <summary>A state file that cannot be trusted: torn, corrupted, or not a slot record.</summary>
public sealed class StateFileException(string message, Exception? inner = null) : Exception(message, inner);
