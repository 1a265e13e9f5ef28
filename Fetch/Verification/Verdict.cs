using Webc.BootSafe.Git;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Fetch.Verification;

/// <summary>The outcome of verifying a candidate that was not refused.</summary>
public abstract record Verdict(Revision Revision);

/// <summary>The candidate is known-good already: nothing to do (exit 0).</summary>
public sealed record UpToDate(Revision Revision) : Verdict(Revision);

/// <summary>The candidate passed every check and may be staged.</summary>
public sealed record Verified(Revision Revision, string Signer, KernelPair Kernel, bool IsDowngrade, long ObjectsChecked) : Verdict(Revision);
