using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Updates.Fleet;

/// <summary>
/// What `fetch` does for the fleet around its own work: download the configuration first (it may
/// change fetch-revision or noupgrade), and post the queued reports last (this fetch's transitions
/// among them). Neither may fail a fetch: a failure is a warning and the fetch goes on with the last
/// good configuration; reports stay queued.
/// </summary>
public static class FetchFleetSteps
{
    public static void BeforeFetch(MediumLayout layout, IMediumStorage storage, string procCmdlinePath, Action<string> note)
    {
        // Bad input in config.yaml is not caught: the fetch would refuse it the same way a moment later.
        var parameters = BootParameterReader.Read(layout, procCmdlinePath);
        try
        {
            if (new ConfigDownload(layout, storage) { ProcCmdlinePath = procCmdlinePath }.Run(parameters) is { } result)
            {
                note(result.Status == ConfigDownloadStatus.KeptLastGood ? $"warning: {result.Message}; fetch goes on" : result.Message);
            }
        }
        catch (Exception e) when (e is BadInputException or OperationFailedException or IOException or UnauthorizedAccessException)
        {
            note($"warning: configuration not downloaded: {e.Message.ReplaceLineEndings(" ")}; fetch goes on with the last good copy");
        }
    }

    public static void AfterFetch(MediumLayout layout, IMediumStorage storage, string procCmdlinePath, Action<string> note)
    {
        try
        {
            var parameters = BootParameterReader.Read(layout, procCmdlinePath);
            var result = new ReportPoster(layout, storage).Flush(parameters, DateTimeOffset.UtcNow, force: false);
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
