namespace Webc.BootSafe.Medium.Errors;

/// <summary>
/// The caller gave something we cannot accept (exit code 2). The message must name the input and
/// say what is wrong with it, because operators read it on a console with no debugger.
/// </summary>
public sealed class BadInputException(string message, Exception? inner = null) : Exception(message, inner);
