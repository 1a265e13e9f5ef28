using Webc.BootSafe.Updates.Staging;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Fetch.Verification;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>`verify REV`: every check `fetch` makes before staging, on a commit already in the medium's repository. Writes nothing.</summary>
public static class VerifyCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var revision = new Argument<string>("REV") { Description = "A 40-hex commit id, or a ref of the medium's repository (e.g. refs/bootsafe/fetched)" };
        var cmdline = Options.Cmdline();
        var command = new Command("verify", "Verify REV: signed by a trusted key, no downgrade from known-good, not failed before, one kernel and initrd, safe tree names, every object intact. Known-good is verified like any other revision. Exit 0 when it passes, 1 when refused, 2 on bad input.")
        {
            revision, cmdline,
        };
        command.SetAction(parse => CommandRunner.RunText(() =>
        {
            var layout = globals.Layout(parse);
            var verdict = VerifyRevision.Run(layout, BootParameterReader.Read(layout, parse.GetValue(cmdline)!), parse.GetValue(revision)!);
            Console.WriteLine(verdict switch
            {
                UpToDate u => $"up to date: {u.Revision} is known-good",
                Verified v => $"verified {v.Revision}: signed by {v.Signer}; {v.Kernel.KernelPath}, {v.Kernel.InitrdPath}; {v.ObjectsChecked} objects intact{(v.IsDowngrade ? "; pinned downgrade (allow-downgrade: true)" : "")}",
                _ => verdict.ToString(),
            });
            return ExitCodes.Ok;
        }));
        return command;
    }
}
