using Webc.BootSafe.Bootloader.Applying;
using Webc.BootSafe.Fetch.Git;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Storage;

namespace Webc.BootSafe.Fetch.Update;

/// <summary>
/// `fetch [--stage]` end to end, under the medium's lock so the record verified against is the one
/// staged onto: noupgrade stops first; then fetch, verify, and optionally stage.
/// </summary>
public sealed class UpdateRun(MediumLayout layout, IMediumStorage storage, Func<ISlotStore, Stager> stagerFor)
{
    public TimeSpan Backoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Told when staging begins: the log then shows whether a cut-off run died before or while the
    /// boot medium was being written, which the summary at the end cannot say.
    /// </summary>
    public Action<string>? Note { get; init; }

    public UpdateResult Run(BootParameters parameters, bool stage, IProgress<TransferSnapshot>? progress)
    {
        if (parameters.NoUpgrade)
        {
            var where = parameters.Sources.TryGetValue(ParameterKeys.NoUpgrade, out var s) ? s.Origin : "parameters";
            return new UpdateResult($"noupgrade is set ({where}): not fetching; nothing changed", null, null);
        }

        using var session = SlotSession.Open(layout, storage, SlotSession.DefaultLockTimeout);
        var fetcher = new UpdateFetcher(layout, storage) { Backoff = Backoff };
        var outcome = fetcher.FetchAndVerify(parameters, session.Record, progress);
        if (outcome.Verdict is UpToDate up)
        {
            return new UpdateResult($"up to date: {up.Revision} is known-good", outcome, null);
        }

        var verified = (Verified)outcome.Verdict;
        var what = $"{verified.Revision} verified ({verified.Signer}; {verified.Kernel.KernelPath}, {verified.Kernel.InitrdPath}; {verified.ObjectsChecked} objects checked{(verified.IsDowngrade ? "; pinned downgrade allowed" : "")})";
        if (!stage)
        {
            return new UpdateResult(what + "; not staged (use --stage)", outcome, null);
        }

        Note?.Invoke($"{verified.Revision} verified; staging it as trial");
        var applied = CandidateStaging.Stage(layout, verified, stagerFor(session.Store));
        return new UpdateResult(what + $"; staged as trial (state {applied.Transition.After.State})", outcome, applied);
    }
}
