namespace Webc.BootSafe.Git;

/// <summary>A commit whose trees break <see cref="TreeRules"/> or <see cref="KernelPairRule"/> (exit 1: refused, nothing changed).</summary>
public sealed class TreeRuleException(string message)
    : Webc.BootSafe.Medium.Errors.OperationFailedException(message);
