using Webc.BootSafe.Fetch.Git;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Updates.Confirm;

namespace Webc.BootSafe.Updates.Staging;

/// <summary>What `update --now` did: the fetch and stage, and the reboot into the trial, if one was staged.</summary>
public sealed record UpdateNowResult(UpdateResult Update, Revision? Trial, int? RebootExitCode)
{
    /// <summary>A trial is staged and armed: the next boot tries it.</summary>
    public bool RebootRequested => Trial is not null;
}

/// <summary>
/// Use case `update --now`, the seed's synchronous security update: fetch, verify and stage as
/// `fetch --stage` does (noupgrade honoured, so a pinned kiosk is left alone), then, when a trial is
/// staged and armed (just now, or by an earlier fetch that the machine has not booted yet), run the
/// reboot command so the trial boots at once instead of at the next power-on. The trial's budget,
/// health verdict and rollback are those of any trial: rebooting sooner changes nothing about safety.
/// </summary>
public sealed class UpdateNow(FetchAndStage fetchAndStage, RebootCommand? reboot)
{
    public UpdateNowResult Run(BootParameters parameters, IProgress<TransferSnapshot>? progress)
    {
        var update = fetchAndStage.Run(parameters, stage: true, progress);
        if (update.Staged?.Transition.After is not { State: SlotState.Staged, Trial: { } trial })
        {
            return new UpdateNowResult(update, null, null);
        }

        var code = reboot?.Run($"update --now: trial {trial.Short} staged");
        return new UpdateNowResult(update, trial, code);
    }
}
