namespace Webc.BootSafe.Fetch.Verification;

/// <summary>What a candidate must satisfy; built from the boot parameters and the trusted keys.</summary>
public sealed record VerificationPolicy(TrustedKeys Keys, bool AllowUnsigned, bool AllowDowngrade, string? KernelFlavour);
