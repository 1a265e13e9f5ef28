using Webc.BootSafe.Updates.Staging;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>
/// `stage REV`: put a revision's kernel files on the medium as the trial and arm boot-once. The kernel
/// and initrd come from --kernel/--initrd, or from the commit's boot/ in a git repository (--repo,
/// default the medium's live/filesystem.git).
/// </summary>
public static class StageCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var revision = new Argument<string>("revision") { Description = "The commit to stage (40 hex; with a repository, anything git rev-parse resolves)" };
        var kernel = new Option<string?>("--kernel") { Description = "The revision's kernel image file" };
        var initrd = new Option<string?>("--initrd") { Description = "The revision's initrd file" };
        var repo = new Option<string?>("--repo") { Description = "A git repository holding the commit; its boot/vmlinuz-* and boot/initrd.img-* are used (default: <medium>/live/filesystem.git)" };
        var force = new Option<bool>("--force") { Description = "Stage a revision that failed before" };
        var noVerify = new Option<bool>("--no-verify") { Description = "Skip fetch's checks (signature, descent from known-good, tree rules): warns on stderr and says so in the history" };
        var entryOptions = new EntryOptions();
        var command = new Command("stage", "Stage a revision as the trial: kernel files, then the trial label, then the state, then boot-once (docs/crash-safety.md). Exit 1 if the machine refuses (a trial is already staged, or it is known-good or failed).")
        {
            revision, kernel, initrd, repo, force, noVerify,
        };
        entryOptions.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var layout = globals.Layout(parse);
            var options = entryOptions.Read(parse, layout);
            var request = new StageByHand.Request(parse.GetValue(revision)!, parse.GetValue(kernel), parse.GetValue(initrd), parse.GetValue(repo), parse.GetValue(force), parse.GetValue(noVerify));
            var outcome = StageByHand.Run(layout, () => globals.Open(parse, options), request, warning => OutcomePrinter.Note("warning: " + warning), DateTimeOffset.UtcNow);
            OutcomePrinter.Print(outcome, parse.GetValue(globals.Json));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
