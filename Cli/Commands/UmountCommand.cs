using Webc.BootSafe.Mount.Fuse;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>`umount MOUNTPOINT`: unmounts a git-fs mount; its daemon then exits on its own.</summary>
public static class UmountCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var lazy = new Option<bool>("--lazy", "-l") { Description = "Detach even if busy (finishes when the last user leaves)" };
        var mountPoint = new Argument<string>("MOUNTPOINT") { Description = "Where git-fs is mounted" };
        var command = new Command("umount", "Unmount a git-fs mount") { lazy, mountPoint };
        command.SetAction(parse => CommandRunner.RunText(() =>
        {
            Unmounter.UnmountGitFs(parse.GetValue(mountPoint)!, parse.GetValue(lazy));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
