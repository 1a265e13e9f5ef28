using Webc.BootSafe.Fetch.Git;
using Webc.BootSafe.Fetch.Verification;

namespace Webc.BootSafe.Fetch.Update;

/// <summary>A fetch that was not refused: the verdict on the candidate and what the transfer cost.</summary>
public sealed record FetchOutcome(Verdict Verdict, TransferSnapshot Transfer, bool Pinned, TimeSpan TransferTime, TimeSpan VerifyTime);
