using Webc.BootSafe.Fetch.Params;
using System.CommandLine;
using Webc.BootSafe.Updates.Confirm;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Cli.Commands;

/// <summary><c>confirm</c>: the health verdict on a running trial (webc-bootsafe-confirm.service runs it).</summary>
public static class ConfirmCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var healthDir = new Option<string>("--health-dir")
        {
            Description = "Root of the health checks (required.d, wanted.d, green.d, red.d)",
            DefaultValueFactory = _ => HealthDirectory.DefaultRoot,
        };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds each check or hook may run before its process group is killed",
            DefaultValueFactory = _ => 120,
        };
        var cmdline = new Option<string>("--cmdline")
        {
            Description = $"Kernel command line whose {BootArguments.RevisionKey}= names the running revision",
            DefaultValueFactory = _ => SelectCommand.DefaultCommandLine,
        };
        var noReboot = new Option<bool>("--no-reboot") { Description = "On failure, roll back but do not reboot" };
        var allowNoChecks = new Option<bool>("--allow-no-checks") { Description = "Judge even when the health directory or its required.d is missing (otherwise exit 2, trial left Trying)" };
        var lockWait = new Option<double>("--lock-timeout")
        {
            Description = "Seconds to wait for the medium lock before recording the verdict; on expiry exit 1 with the trial still Trying",
            DefaultValueFactory = _ => 300,
        };
        var reboot = RebootOption.Create();
        var command = new Command(
            "confirm",
            $"""
            Judge the running trial: run every executable in required.d (any failure fails the trial)
            and wanted.d (failures only warn), each with a timeout and in lexical order; then record
            HealthPassed (trial becomes known-good) or HealthFailed (rolled back), run green.d or red.d,
            and on failure reboot into known-good. Does nothing, with exit 0, unless a trial is running.

            Exit codes: 0 passed, or nothing to confirm; {ExitCodes.HealthFailed} a required check failed (rolled back); 1 failed to record the verdict.
            """)
        {
            healthDir, timeout, cmdline, noReboot, reboot, allowNoChecks, lockWait,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var seconds = parse.GetValue(timeout);
            if (!(seconds > 0))
            {
                throw new BadInputException($"--timeout {seconds} must be a positive number of seconds");
            }

            var cmdlineText = BoundedTextFile.ReadIfPresent(parse.GetValue(cmdline)!, "kernel command line") ?? string.Empty;
            var options = new ConfirmOptions(
                new HealthDirectory(parse.GetValue(healthDir)!),
                TimeSpan.FromSeconds(seconds),
                BootArguments.Parse(cmdlineText).RevisionText,
                RebootCommand.From(parse.GetValue(reboot)),
                parse.GetValue(noReboot))
            {
                AllowNoChecks = parse.GetValue(allowNoChecks),
            };
            var layout = globals.Layout(parse);
            var lockTimeout = TimeSpan.FromSeconds(Math.Max(0, parse.GetValue(lockWait)));
            var outcome = new Confirmation(layout.Root, () => globals.Open(parse, lockTimeout: lockTimeout), options).Run(DateTimeOffset.UtcNow);
            Print(outcome);
            return outcome.Failed ? ExitCodes.HealthFailed : ExitCodes.Ok;
        }));
        return command;
    }

    private static void Print(ConfirmOutcome outcome)
    {
        if (outcome.Report is { } report)
        {
            foreach (var result in report.Required)
            {
                Console.WriteLine($"required {result.Describe()}");
            }

            foreach (var result in report.Wanted)
            {
                Console.WriteLine($"wanted   {result.Describe()}{(result.Succeeded ? string.Empty : " (warning only)")}");
            }
        }

        foreach (var hook in outcome.Hooks)
        {
            Console.WriteLine($"hook     {hook.Describe()}");
        }

        Console.WriteLine(outcome.Summary);
        if (outcome.RebootRequested)
        {
            Console.WriteLine(outcome.RebootExitCode is { } code
                ? $"reboot requested (reboot command exited {code})"
                : "reboot into known-good needed (--no-reboot given)");
        }
    }
}
