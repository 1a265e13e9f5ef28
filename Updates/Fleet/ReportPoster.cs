using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Webc.BootSafe.Fetch.Fleet;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Updates.Fleet;

/// <summary>
/// Posts the outbox to report-url, oldest first, each with its <c>Idempotency-Key</c> header; a
/// report's file is removed only after a 2xx, so a cut connection or a killed poster leaves it to
/// be posted again (at-least-once; the receiver dedups by key). The first failure stops the flush
/// and sets the next attempt after an exponential backoff (60 s doubling up to 6 h), kept in
/// <c>live/bootsafe/outbox/retry</c>, which `fetch` honours and `report --flush` overrides.
/// </summary>
public sealed class ReportPoster(MediumLayout layout, IMediumStorage storage)
{
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(6);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(60);

    public string EtcMachineId { get; init; } = DeviceIdentity.EtcMachineId;

    private ReportOutbox Outbox => new(layout, storage);

    public string RetryFile => Path.Combine(Outbox.Directory, "retry");

    /// <summary>The outbox as it stands, without posting.</summary>
    public ReportFlushResult Status(BootParameters parameters, DateTimeOffset now)
    {
        var retry = ReadRetry();
        return new(0, Outbox.Pending().Count, Outbox.Dropped, retry.Attempts, retry.Next, parameters.ReportUrl is null ? "report-url is not set in config.yaml" : "not posted (use --flush)", Failed: false);
    }

    /// <summary>Posts what is queued. <paramref name="force"/> ignores the backoff (an operator's --flush).</summary>
    public ReportFlushResult Flush(BootParameters parameters, DateTimeOffset now, bool force)
    {
        var outbox = Outbox;
        var pending = outbox.Pending();
        var retry = ReadRetry();
        ReportFlushResult Result(int posted, string message, bool failed, RetryState? state = null) =>
            new(posted, outbox.Pending().Count, outbox.Dropped, (state ?? retry).Attempts, (state ?? retry).Next, message, failed);

        if (parameters.ReportUrl is not { } url)
        {
            return Result(0, pending.Count == 0 ? "report-url is not set in config.yaml" : $"report-url is not set in config.yaml: {pending.Count} queued reports kept", failed: false);
        }

        if (pending.Count == 0)
        {
            return Result(0, "no reports queued", failed: false);
        }

        if (!force && retry.Next is { } next && now < next)
        {
            return Result(0, $"{pending.Count} reports queued; next attempt after {next:O} (backoff after {retry.Attempts} failed attempts)", failed: false);
        }

        // One poster at a time (the timer's fetch and an operator's flush): a second one waits briefly.
        using var held = MediumLock.AcquireDirectory(outbox.Directory, TimeSpan.FromSeconds(30));
        var identity = DeviceIdentity.Read(layout, parameters, EtcMachineId);
        using var client = FleetHttp.Create(identity, parameters.ConfigCa, RequestTimeout);
        using var deadline = new CancellationTokenSource(Deadline);
        var posted = 0;
        foreach (var report in outbox.Pending())
        {
            var failure = Post(client, identity, url, report, deadline.Token);
            if (failure is not null)
            {
                var state = new RetryState(retry.Attempts + 1, now + Backoff(retry.Attempts + 1));
                WriteRetry(state);
                return Result(posted, $"report {report.Key} not accepted by {url}: {failure}; {posted} posted, the rest kept, next attempt after {state.Next:O}", failed: true, state);
            }

            outbox.Remove(report);
            posted++;
        }

        if (storage.FileExists(RetryFile))
        {
            storage.Delete(RetryFile);
            storage.SyncDirectory(outbox.Directory);
        }

        return Result(posted, $"{posted} reports posted to {url}", failed: false, new RetryState(0, null));
    }

    public static TimeSpan Backoff(int attempts) =>
        attempts >= 20 ? MaxBackoff : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << (attempts - 1)));

    private string? Post(HttpClient client, DeviceIdentity identity, Uri url, QueuedReport report, CancellationToken token)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url);
            FleetHttp.Authorize(request, identity);
            request.Headers.TryAddWithoutValidation("Idempotency-Key", report.Key.ToString("D"));
            request.Content = new ByteArrayContent(storage.ReadAllBytes(report.Path));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = client.Send(request, HttpCompletionOption.ResponseHeadersRead, token);
            return response.IsSuccessStatusCode ? null : $"{(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            return e is OperationCanceledException ? "no answer in time" : (e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message).ReplaceLineEndings(" ");
        }
    }

    private RetryState ReadRetry()
    {
        if (!storage.FileExists(RetryFile))
        {
            return new RetryState(0, null);
        }

        // "ATTEMPTS NEXT-ISO-8601": a torn or foreign file is treated as no backoff, never as an error.
        var parts = Encoding.ASCII.GetString(storage.ReadAllBytes(RetryFile)).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var attempts)
            && DateTimeOffset.TryParse(parts[1], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var next)
            ? new RetryState(attempts, next)
            : new RetryState(0, null);
    }

    private void WriteRetry(RetryState state) =>
        storage.ReplaceAtomically(RetryFile, Encoding.ASCII.GetBytes(FormattableString.Invariant($"{state.Attempts} {state.Next:O}\n")));

    private sealed record RetryState(int Attempts, DateTimeOffset? Next);
}
