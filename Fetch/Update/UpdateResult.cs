using Webc.BootSafe.Bootloader.Applying;

namespace Webc.BootSafe.Fetch.Update;

/// <summary>What `fetch` did: skipped for noupgrade, or fetched (and maybe staged).</summary>
public sealed record UpdateResult(string Summary, FetchOutcome? Fetch, AppliedTransition? Staged);
