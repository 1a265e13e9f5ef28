using System.CommandLine;
using LibGit2Sharp;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Fetch.Update;
using Webc.BootSafe.Fetch.Verification;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>`verify REV`: every check `fetch` makes before staging, on a commit already in the medium's repository. Writes nothing.</summary>
public static class VerifyCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var revision = new Argument<string>("REV") { Description = "A 40-hex commit id, or a ref of the medium's repository (e.g. refs/bootsafe/fetched)" };
        var cmdline = new Option<string>("--cmdline")
        {
            Description = "Read the kernel command line from FILE instead of /proc/cmdline",
            DefaultValueFactory = _ => BootParameterReader.ProcCmdline,
        };
        var command = new Command("verify", "Verify REV: signed by a trusted key, no downgrade from known-good, not failed before, one kernel and initrd, safe tree names, every object intact. Exit 0 when it passes (or is known-good), 1 when refused, 2 on bad input.")
        {
            revision, cmdline,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var layout = new MediumLayout(Path.GetFullPath(parse.GetValue(globals.Medium)!));
            var parameters = BootParameterReader.Read(layout, parse.GetValue(cmdline)!);
            var policy = UpdateFetcher.PolicyFor(parameters);
            var record = new YamlSlotStore(new PosixMediumStorage(), layout).Load().Record;
            using var repository = UpdateFetcher.OpenRepository(layout);
            var candidate = Resolve(repository, parse.GetValue(revision)!);
            Verdict verdict;
            try
            {
                verdict = CandidateVerifier.Verify(repository, candidate, record, policy, pinned: parameters.UpdateRevision == candidate);
            }
            catch (LibGit2SharpException e)
            {
                throw new OperationFailedException($"{layout.Repository}: {e.Message}", e);
            }

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

    private static Revision Resolve(Repository repository, string text)
    {
        if (Revision.TryParse(text, out var revision))
        {
            return revision;
        }

        Commit? commit;
        try
        {
            commit = repository.Refs[text]?.ResolveToDirectReference()?.Target?.Peel<Commit>();
        }
        catch (LibGit2SharpException)
        {
            commit = null;
        }

        return commit is not null
            ? Revision.Parse(commit.Sha)
            : throw new BadInputException($"REV '{text}' is neither a full commit id nor a ref of {repository.Info.Path}");
    }
}
