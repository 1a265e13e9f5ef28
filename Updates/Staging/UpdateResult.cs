using Webc.BootSafe.Fetch.Update;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Updates.Staging;

/// <summary>What `fetch` did: skipped for noupgrade, or fetched (and maybe staged).</summary>
public sealed record UpdateResult(string Summary, FetchOutcome? Fetch, Outcome? Staged);
