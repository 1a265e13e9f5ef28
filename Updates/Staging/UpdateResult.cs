using Webc.BootSafe.Fetch.Update;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Updates.Staging;

/// <summary>What `fetch` did: skipped for noupgrade, or fetched (and maybe staged).</summary>
public sealed record UpdateResult(string Summary, FetchOutcome? Fetch, Outcome? Staged)
{
    /// <summary>The result as text, one line each: the summary, then the transfer when there was one.</summary>
    public IEnumerable<string> Lines()
    {
        yield return Summary;
        if (Fetch is { } fetched)
        {
            yield return $"received {fetched.Transfer.ReceivedObjects} objects, {fetched.Transfer.ReceivedBytes} bytes";
            yield return $"transfer {fetched.TransferTime.TotalSeconds:0.00} s, verification {fetched.VerifyTime.TotalSeconds:0.00} s";
        }
    }
}
