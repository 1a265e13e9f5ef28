using Webc.BootSafe.Updates.Confirm;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Cli.Commands;

/// <summary><c>confirm</c>: the health verdict on a running trial (webc-bootsafe-confirm.service runs it).</summary>
public static class ConfirmCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var healthDir = Options.Of("--health-dir", "Root of the health checks (required.d, wanted.d, green.d, red.d)", HealthDirectory.DefaultRoot);
        var greenbootDir = Options.Of("--greenboot-dir", "Root of greenboot's layout (check/required.d, check/wanted.d, green.d, red.d), run after --health-dir's; empty for none", HealthDirectory.DefaultGreenbootRoot);
        var checkOnly = new Option<bool>("--check-only") { Description = "Only run the checks and leave the result in --result-file (webc-bootsafe-check.service, before boot-complete.target); exit 4 when a required check failed" };
        var recordOnly = new Option<bool>("--record-only") { Description = "Only record the verdict --result-file holds (no result for the trial is a failure), then the hooks and the reboot (after boot-complete.target, or on its failure)" };
        var resultFile = Options.Of("--result-file", "Where --check-only leaves its result for --record-only", HealthResultFile.DefaultPath);
        var timeout = Options.Of<double>("--timeout", "Seconds each check or hook may run before its process group is killed", 120);
        var cmdline = Options.Cmdline($"Kernel command line whose {BootArguments.RevisionKey}= names the running revision");
        var noReboot = new Option<bool>("--no-reboot") { Description = "On failure, roll back but do not reboot" };
        var allowNoChecks = new Option<bool>("--allow-no-checks") { Description = "Judge even when the health directory or its required.d is missing (otherwise exit 2, trial left Trying)" };
        var lockWait = Options.Of<double>("--lock-timeout", "Seconds to wait for the medium lock before recording the verdict; on expiry exit 1 with the trial still Trying", 300);
        var reboot = Options.RebootCommand();
        var command = new Command(
            "confirm",
            $"""
            Judge the running trial: run every executable in required.d (any failure fails the trial)
            and wanted.d (failures only warn), each with a timeout and in lexical order, from
            --health-dir and then from greenboot's layout; then record HealthPassed (trial becomes
            known-good) or HealthFailed (rolled back), run green.d or red.d, and on failure reboot into
            known-good. Does nothing, with exit 0, unless a trial is running. Under systemd the two
            halves run apart: --check-only before boot-complete.target, --record-only after it.

            Exit codes: 0 passed, or nothing to confirm; {ExitCodes.HealthFailed} a required check failed (rolled back); 1 failed to record the verdict.
            """)
        {
            healthDir, greenbootDir, checkOnly, recordOnly, resultFile, timeout, cmdline, noReboot, reboot, allowNoChecks, lockWait,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var options = ConfirmOptions.From(
                parse.GetValue(healthDir)!,
                parse.GetValue(greenbootDir),
                parse.GetValue(timeout),
                parse.GetValue(cmdline)!,
                RebootCommand.From(parse.GetValue(reboot)),
                parse.GetValue(noReboot),
                parse.GetValue(checkOnly),
                parse.GetValue(recordOnly)) with
            {
                AllowNoChecks = parse.GetValue(allowNoChecks),
                ResultFile = parse.GetValue(resultFile)!,
            };
            var layout = globals.Layout(parse);
            var lockTimeout = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(lockWait)));
            var outcome = new Confirmation(layout.Root, () => globals.Open(parse, lockTimeout: lockTimeout), options).Run(DateTimeOffset.UtcNow);
            outcome.Warnings().ToList().ForEach(warning => OutcomePrinter.Note("warning: " + warning));
            if (JsonOutput.Enabled)
            {
                PrintJson(outcome);
            }
            else
            {
                OutcomePrinter.Lines(outcome.Lines());
            }

            return outcome.Failed ? ExitCodes.HealthFailed : ExitCodes.Ok;
        }));
        return command;
    }

    private static void PrintJson(ConfirmOutcome outcome)
    {
        var json = new JsonObject { ["summary"] = outcome.Summary, ["verdict"] = outcome.Verdict switch { true => "passed", false => "failed", null => null } };
        if (outcome.Report is { } report)
        {
            json["checks_passed"] = report.Passed;
            json["required"] = Results(report.Required);
            json["wanted"] = Results(report.Wanted);
        }

        json["hooks"] = Results(outcome.Hooks);
        json["reboot_requested"] = outcome.RebootRequested;
        if (outcome.RebootExitCode is { } code)
        {
            json["reboot_exit_code"] = code;
        }

        JsonOutput.Write(json);
    }

    private static JsonArray Results(IEnumerable<ScriptResult> results) => new([.. results.Select(r => new JsonObject
    {
        ["name"] = r.Name,
        ["succeeded"] = r.Succeeded,
        ["exit_code"] = r.ExitCode,
        ["timed_out"] = r.TimedOut,
        ["seconds"] = Math.Round(r.Duration.TotalSeconds, 3),
        ["describe"] = r.Describe(),
    })]);
}
