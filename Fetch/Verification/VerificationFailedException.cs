using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Fetch.Verification;

/// <summary>A candidate we refuse to stage (exit 1). The message names the revision and the reason.</summary>
public sealed class VerificationFailedException(string message, Exception? inner = null)
    : OperationFailedException(message, inner);
