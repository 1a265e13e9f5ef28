using Webc.BootSafe.Updates.Publish;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>
/// <c>commit-root SOURCE --repo R --branch B --signing-key K [--message M]</c>: a root directory or
/// tarball becomes one signed commit with <c>.bootsafe/metadata.yaml</c>; prints the commit id.
/// </summary>
public static class CommitRootCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var source = new Argument<string>("SOURCE") { Description = "A root filesystem directory, or a tarball of one (unpacked with GNU tar, as root)" };
        var repo = new Option<string>("--repo") { Description = "The release repository (bare or not) to commit to", Required = true };
        var branch = new Option<string>("--branch") { Description = "The branch to move (a short name or a full ref); created if absent", Required = true };
        var key = new Option<string>("--signing-key") { Description = "An SSH key file (signs as SSHSIG), or an OpenPGP key id or fingerprint (gpg)", Required = true };
        var message = Options.Of("--message", "The commit message", "Root filesystem");
        var command = new Command(
            "commit-root",
            "Commit a root filesystem (directory or tarball) to the release repository, signed, with .bootsafe/metadata.yaml for owners, modes, empty directories, devices and capabilities. Refuses (exit 2, with the list, nothing written) what it cannot represent or fetch would refuse. Prints the new commit id.")
        {
            source, repo, branch, key, message,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var result = CommitRoot.Run(new CommitRootRequest(
                parse.GetValue(source)!, parse.GetValue(repo)!, parse.GetValue(branch)!, parse.GetValue(key)!, parse.GetValue(message)!));
            if (parse.GetValue(globals.Json))
            {
                JsonOutput.Write(new JsonObject
                {
                    ["commit"] = result.Commit,
                    ["tree"] = result.Tree,
                    ["ref"] = result.Ref,
                    ["parent"] = result.Parent,
                    ["entries"] = result.Entries,
                    ["metadata"] = result.HasMetadata,
                });
            }
            else
            {
                Console.WriteLine(result.Commit);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
