using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.Updates.Session;
using Webc.BootSafe.Updates.Staging;

namespace Webc.BootSafe.Updates.Fleet;

/// <summary>
/// The one frame of every fetch (`fetch`, `fetch --plan`, `update`): download the configuration
/// (<see cref="FetchFleetSteps.BeforeFetch"/>), read the parameters it yields, run the fetch with
/// this kiosk's rollout wave, and post the queued reports last even when the fetch failed.
/// </summary>
/// <param name="procCmdlinePath">The kernel command line file (--cmdline).</param>
/// <param name="machineIdFile">The machine id that places the kiosk in a rollout wave (--machine-id-file).</param>
/// <param name="note">Where progress and warnings go (the CLI's stderr).</param>
public sealed class FleetFetch(MediumLayout layout, Func<MediumSession> openSession, string procCmdlinePath, string machineIdFile, Action<string> note)
{
    /// <summary>See <see cref="FetchAndStage.OnOverrun"/>.</summary>
    public Action<string>? OnOverrun { get; init; }

    public T Run<T>(Func<FetchAndStage, BootParameters, T> body)
    {
        var storage = new PosixMediumStorage();
        FetchFleetSteps.BeforeFetch(layout, storage, procCmdlinePath, note);
        var parameters = BootParameterReader.Read(layout, procCmdlinePath);
        var fetch = new FetchAndStage(layout, storage, openSession)
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
            FetchFleetSteps.AfterFetch(layout, storage, procCmdlinePath, note);
        }
    }
}
