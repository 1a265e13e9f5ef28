using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.Updates.Session;
using Webc.BootSafe.Updates.Staging;

namespace Webc.BootSafe.Updates.Fleet;

/// <summary>
/// The one frame of every fetch (`fetch`, `fetch --plan`, `update`): download the configuration first
/// (it may change fetch-revision or noupgrade), read the parameters it yields, run the fetch with this
/// kiosk's rollout wave, and post the queued reports last (this fetch's transitions among them), also
/// when the fetch failed. Neither fleet step may fail a fetch: a failure is a warning and the fetch
/// goes on with the last good configuration; reports stay queued.
/// </summary>
/// <param name="procCmdlinePath">The kernel command line file (--cmdline).</param>
/// <param name="machineIdFile">The machine id that places the kiosk in a rollout wave (--machine-id-file).</param>
/// <param name="note">Where progress and warnings go (the CLI's stderr).</param>
public sealed class FleetFetch(MediumLayout layout, Func<MediumSession> openSession, string procCmdlinePath, string machineIdFile, Action<string> note)
{
    private readonly IMediumStorage _storage = new PosixMediumStorage();

    /// <summary>See <see cref="FetchAndStage.OnOverrun"/>.</summary>
    public Action<string>? OnOverrun { get; init; }

    /// <summary>Runs <paramref name="body"/> on the fetch and the parameters, between the two fleet steps.</summary>
    public T Run<T>(Func<FetchAndStage, BootParameters, T> body)
    {
        DownloadConfiguration();
        var parameters = BootParameterReader.Read(layout, procCmdlinePath);
        var fetch = new FetchAndStage(layout, _storage, openSession)
        {
            Rollout = new(layout) { MachineIdFile = machineIdFile },
            Note = note,
            OnOverrun = OnOverrun,
        };
        try
        {
            return body(fetch, parameters);
        }
        finally
        {
            PostReports(parameters);
        }
    }

    private void DownloadConfiguration()
    {
        // Bad input in config.yaml is not caught: the fetch would refuse it the same way a moment later.
        var parameters = BootParameterReader.Read(layout, procCmdlinePath);
        try
        {
            if (new ConfigDownload(layout, _storage) { ProcCmdlinePath = procCmdlinePath }.Run(parameters) is { } result)
            {
                note(result.Status == ConfigDownloadStatus.KeptLastGood ? $"warning: {result.Message}; fetch goes on" : result.Message);
            }
        }
        catch (Exception e) when (e is BadInputException or OperationFailedException or IOException or UnauthorizedAccessException)
        {
            note($"warning: configuration not downloaded: {e.Message.ReplaceLineEndings(" ")}; fetch goes on with the last good copy");
        }
    }

    // The parameters the fetch ran with: report-url is a trust key of config.yaml, which no fetch changes.
    private void PostReports(BootParameters parameters)
    {
        try
        {
            var result = new ReportPoster(layout, _storage).Flush(parameters, DateTimeOffset.UtcNow, force: false);
            if (result.Posted > 0 || result.Failed)
            {
                note((result.Failed ? "warning: " : "") + result.Message);
            }
        }
        catch (Exception e) when (e is BadInputException or OperationFailedException or IOException or UnauthorizedAccessException)
        {
            note($"warning: reports not posted: {e.Message.ReplaceLineEndings(" ")}; they stay queued");
        }
    }
}
