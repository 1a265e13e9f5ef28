using Webc.BootSafe.Cli.BootPath;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Cli.Health;

/// <summary>
/// Judges a trial that booted: run the required and wanted checks, then fire HealthPassed or
/// HealthFailed, then the green.d or red.d hooks, then (on failure) reboot into known-good.
/// Only a running trial is judged: in any other state, or when the running revision is not the
/// trial, it does nothing and says why.
/// </summary>
public sealed class Confirmation(SlotDecisions decisions, ConfirmOptions options)
{
    public ConfirmOutcome Run(DateTimeOffset now)
    {
        var record = decisions.Read();
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
            ["BOOTSAFE_MEDIUM"] = decisions.Layout.Root,
        };
        var report = new HealthChecks(options.Health, new ScriptRunner(options.ScriptTimeout, environment)).Run();
        SlotEvent verdict = report.Passed ? new HealthPassed() : new HealthFailed(report.FailureReason);
        var decision = decisions.Fire(verdict, now);

        environment["BOOTSAFE_VERDICT"] = report.Passed ? "passed" : "failed";
        environment["BOOTSAFE_REASON"] = decision.Transition.Reason;
        var hooks = new HealthChecks(options.Health, new ScriptRunner(options.ScriptTimeout, environment)).RunHooks(report.Passed);

        int? rebootExit = null;
        if (decision.RebootReason is { } reason && !options.NoReboot)
        {
            rebootExit = options.Reboot.Run(reason);
        }

        return new ConfirmOutcome(decision.Transition.Reason, report, decision.Transition.Reason, hooks, decision.RebootRequested, rebootExit);
    }
}
