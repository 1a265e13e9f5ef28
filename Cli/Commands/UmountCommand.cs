using System.CommandLine;
using Webc.BootSafe.Mount.Fuse;
using Webc.BootSafe.Medium.Errors;

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
            var target = parse.GetValue(mountPoint)!;
            if (!Directory.Exists(target))
            {
                throw new BadInputException($"MOUNTPOINT '{target}': no such directory");
            }

            if (!Unmounter.IsMounted(target, out var fsType))
            {
                throw new BadInputException($"MOUNTPOINT '{target}': nothing is mounted there");
            }

            if (!fsType.StartsWith("fuse", StringComparison.Ordinal))
            {
                throw new BadInputException($"MOUNTPOINT '{target}': is a {fsType} mount, not git-fs");
            }

            Unmounter.Unmount(target, parse.GetValue(lazy));
            for (var i = 0; i < 50 && Unmounter.IsMounted(target, out _); i++)
            {
                Thread.Sleep(100);
            }

            return Unmounter.IsMounted(target, out _)
                ? throw new OperationFailedException($"MOUNTPOINT '{target}': still mounted after umount")
                : ExitCodes.Ok;
        }));
        return command;
    }
}
