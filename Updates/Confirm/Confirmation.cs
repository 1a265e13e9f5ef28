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
/// Under systemd the checks and the verdict are two steps (<see cref="ConfirmStep"/>) on either side
/// of boot-complete.target, handing over through a <see cref="HealthResultFile"/>.
/// </summary>
public sealed class Confirmation(string mediumRoot, Func<MediumSession> openSession, ConfirmOptions options)
{
    public ConfirmOutcome Run(DateTimeOffset now)
    {
        var results = new HealthResultFile(options.ResultFile);
        if (options.Step == ConfirmStep.CheckOnly)
        {
            // A result of an earlier run must not stand in for this one.
            results.Delete();
        }

        SlotRecord record;
        using (var session = openSession())
        {
            record = session.Record;
        }

        if (record.State != SlotState.Trying || record.Trial is not { } trial)
        {
            return ConfirmOutcome.Nothing($"nothing to confirm: state is {record.State} (only a trial that booted is judged)");
        }

        var running = Revision.TryParse(options.RunningRevisionText, out var r) ? r : (Revision?)null;
        if (running != trial)
        {
            return ConfirmOutcome.Nothing(
                $"nothing to confirm: the running revision {options.RunningRevisionText ?? "(none on the command line)"} is not the trial {trial}");
        }

        var environment = new Dictionary<string, string>
        {
            ["BOOTSAFE_TRIAL"] = trial.Sha,
            ["BOOTSAFE_KNOWN_GOOD"] = record.KnownGood.Sha,
            ["BOOTSAFE_MEDIUM"] = mediumRoot,
        };
        HealthReport? report = null;
        HealthResult result;
        if (options.Step == ConfirmStep.RecordOnly)
        {
            result = results.Read() is { } found && found.Trial == trial.Sha
                ? found
                : new HealthResult(trial.Sha, false, $"no health check result for the trial in {results.Path} (the check did not finish)", now);
        }
        else
        {
            RequireChecks();
            report = new HealthChecks(options.Health, new ScriptRunner(options.ScriptTimeout, environment)).Run();
            result = new HealthResult(trial.Sha, report.Passed, report.Passed ? "every required check passed" : report.FailureReason, now);
            if (options.Step == ConfirmStep.CheckOnly)
            {
                results.Write(result);
                return new ConfirmOutcome(
                    report.Passed ? $"trial {trial} passed its checks (the verdict is recorded after boot-complete.target)" : $"trial {trial} failed its checks: {result.Reason}",
                    report, null, [], false, null);
            }
        }

        SlotEvent verdict = result.Passed ? new HealthPassed() : new HealthFailed(result.Reason);
        Outcome outcome;
        using (var session = openSession())
        {
            outcome = session.Fire(verdict, now);
        }

        environment["BOOTSAFE_VERDICT"] = result.Passed ? "passed" : "failed";
        environment["BOOTSAFE_REASON"] = outcome.Transition.Reason;
        var hooks = new HealthChecks(options.Health, new ScriptRunner(options.ScriptTimeout, environment)).RunHooks(result.Passed);

        int? rebootExit = null;
        if (outcome.RebootReason is { } reason && !options.NoReboot)
        {
            rebootExit = options.Reboot.Run(reason);
        }

        return new ConfirmOutcome(outcome.Transition.Reason, report, outcome.Transition.Reason, hooks, outcome.RebootRequested, rebootExit)
        {
            Verdict = result.Passed,
        };
    }

    private void RequireChecks()
    {
        if (options.AllowNoChecks)
        {
            return;
        }

        if (!options.Health.Any(d => Directory.Exists(d.Required)))
        {
            var where = string.Join(" or ", options.Health.Select(d => d.Required));
            var project = options.Health.FirstOrDefault()?.Root;
            var missing = project is not null && !Directory.Exists(project)
                ? $"--health-dir {project} does not exist"
                : $"--health-dir {project} has no required.d";
            throw new BadInputException($"{missing} (looked in {where}): no required check to judge the trial by (the trial stays Trying; --allow-no-checks judges without checks)");
        }
    }
}
