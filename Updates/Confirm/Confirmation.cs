using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Updates.Confirm;

/// <summary>
/// Use case "confirm": judges a trial that booted. Run the required and wanted checks (without the
/// medium lock: they may take minutes), then fire HealthPassed or HealthFailed through the session,
/// then the green.d or red.d hooks, then (on failure) reboot into known-good. Only a running trial is
/// judged: in any other state, or when the running revision is not the trial, it does nothing and
/// says why. Without checks to run it refuses to judge (unless allowed): a verdict must rest on a check.
/// </summary>
public sealed class Confirmation(string mediumRoot, Func<MediumSession> openSession, ConfirmOptions options)
{
    public ConfirmOutcome Run(DateTimeOffset now)
    {
        SlotRecord record;
        using (var session = openSession())
        {
            record = session.Record;
        }

        var running = Revision.TryParse(options.RunningRevisionText, out var r) ? r : (Revision?)null;
        if (running == record.KnownGood && record.UnconfirmedKnownGoodBoots > 0)
        {
            // Known-good reached the confirm service: it came up (select counts the boots that do not).
            if (new KnownGoodUp(openSession).Record(running, now) is { } cameUp)
            {
                return ConfirmOutcome.Nothing($"nothing to confirm: {cameUp}");
            }
        }

        if (record.State != SlotState.Trying || record.Trial is not { } trial)
        {
            return ConfirmOutcome.Nothing($"nothing to confirm: state is {record.State} (only a trial that booted is judged)");
        }

        if (running != trial)
        {
            return ConfirmOutcome.Nothing(
                $"nothing to confirm: the running revision {options.RunningRevisionText ?? "(none on the command line)"} is not the trial {trial}");
        }

        RequireChecks();
        var environment = new Dictionary<string, string>
        {
            ["BOOTSAFE_TRIAL"] = trial.Sha,
            ["BOOTSAFE_KNOWN_GOOD"] = record.KnownGood.Sha,
            ["BOOTSAFE_MEDIUM"] = mediumRoot,
        };
        var report = new HealthChecks(options.Health, new ScriptRunner(options.ScriptTimeout, environment)).Run();
        SlotEvent verdict = report.Passed ? new HealthPassed() : new HealthFailed(report.FailureReason);
        Outcome outcome;
        using (var session = openSession())
        {
            outcome = session.Fire(verdict, now);
        }

        environment["BOOTSAFE_VERDICT"] = report.Passed ? "passed" : "failed";
        environment["BOOTSAFE_REASON"] = outcome.Transition.Reason;
        var hooks = new HealthChecks(options.Health, new ScriptRunner(options.ScriptTimeout, environment)).RunHooks(report.Passed);

        int? rebootExit = null;
        if (outcome.RebootReason is { } reason && !options.NoReboot)
        {
            rebootExit = options.Reboot.Run(reason);
        }

        return new ConfirmOutcome(outcome.Transition.Reason, report, outcome.Transition.Reason, hooks, outcome.RebootRequested, rebootExit);
    }

    private void RequireChecks()
    {
        if (options.AllowNoChecks)
        {
            return;
        }

        if (!Directory.Exists(options.Health.Root))
        {
            throw new BadInputException($"--health-dir {options.Health.Root} does not exist: no check to judge the trial by (the trial stays Trying; --allow-no-checks judges without checks)");
        }

        if (!Directory.Exists(options.Health.Required))
        {
            throw new BadInputException($"--health-dir {options.Health.Root} has no required.d: no required check to judge the trial by (the trial stays Trying; --allow-no-checks judges without checks)");
        }
    }
}
