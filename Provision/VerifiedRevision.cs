using Webc.BootSafe.Git;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Provision;

/// <summary>The revision to install, as verified: who signed it, its kernel pair and their sizes, objects checked.</summary>
public sealed record VerifiedRevision(Revision Revision, string Signer, KernelPair Kernel, long KernelBytes, long InitrdBytes, long ObjectsChecked);
