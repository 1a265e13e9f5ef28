namespace Webc.BootSafe.Fetch.Git;

/// <summary>
/// One fetch: from <paramref name="Remote"/> (file path, file://, git://, http(s)://, ssh://), the
/// branch or tag <paramref name="Revision"/>; abort beyond <paramref name="MaxBytes"/>; retry a
/// failed transfer up to <paramref name="Retries"/> times, waiting <paramref name="Backoff"/>,
/// doubling each time; and give up as <paramref name="Limits"/> says on a stalled or trickling server.
/// </summary>
public sealed record FetchRequest(string Remote, string Revision, long MaxBytes, int Retries, TimeSpan Backoff)
{
    public TransferLimits Limits { get; init; } = TransferLimits.Default;

    /// <summary>The largest object, delta result or zlib stream accepted (max-object-bytes).</summary>
    public long MaxObjectBytes { get; init; } = Params.BootParameters.DefaultMaxObjectBytes;
}
