using Webc.BootSafe.Mount.Fuse;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>
/// `mount --repo DIR --rev REV [--with-git] MOUNTPOINT`: serves a commit read-only through git-fs, in the
/// foreground or as a daemon (<see cref="GitFsProcess"/>).
/// </summary>
public static class MountCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var repo = new Option<string>("--repo") { Description = "The git repository (bare or with a work tree)", Required = true };
        var rev = new Option<string>("--rev") { Description = "The commit to serve (hash, branch, tag or ref)", Required = true };
        var foreground = new Option<bool>("--foreground", "-f") { Description = "Stay in the foreground until unmounted (SIGTERM unmounts)" };
        var options = new Option<string[]>("-o") { Description = "Mount options, comma separated (allow_other, or any option of libfuse's session or mount, e.g. debug)" };
        var withGit = new Option<bool>("--with-git") { Description = "Also show the repository, read-only, at /.git of the mounted root (debugging)" };
        var mountPoint = new Argument<string>("MOUNTPOINT") { Description = "An existing directory to mount on" };
        var command = new Command("mount", "Mount a commit of a repository read-only (git-fs over FUSE)")
        {
            repo, rev, foreground, options, withGit, mountPoint,
        };
        command.SetAction(parse => CommandRunner.RunText(() => parse.GetValue(foreground)
            ? GitFsProcess.RunForeground(parse.GetValue(repo)!, parse.GetValue(rev)!, parse.GetValue(mountPoint)!, GitFsProcess.ParseOptions(parse.GetValue(options) ?? []), parse.GetValue(withGit))
            : GitFsProcess.StartDaemon(parse.GetValue(repo)!, parse.GetValue(rev)!, parse.GetValue(mountPoint)!)));
        return command;
    }
}
