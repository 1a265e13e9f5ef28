using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Provision;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>`install`: make a block device or an image file a bootable, writable BootSafe medium.</summary>
public static class InstallCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var target = new Option<string>("--target") { Description = "Whole block device (/dev/sdb) or image file (/tmp/webc.img) to make bootable" };
        var repo = new Option<string>("--repo") { Description = "Git URL or local path of the root filesystem repository" };
        var revision = new Option<string>("--revision") { Description = "Commit id, or branch or tag of --repo, to install (verified like an update)" };
        var size = new Option<string?>("--size") { Description = "Image file size (bytes, or 512M, 2G); a new image needs it, a device is used at its size" };
        var config = new Option<string?>("--config") { Description = "config.yaml for the medium (trusted keys, remote, ...); default: remote and branch from --repo/--revision, signatures required" };
        var append = Options.Of("--append", "Kernel command line each boot label starts with", BootEntryOptions.DefaultAppend);
        var serial = new Option<string?>("--serial") { Description = "extlinux SERIAL directive, e.g. \"0 115200\" (boot menu on the serial port)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Clone and verify, print the plan, write nothing to the target" };
        var yes = new Option<bool>("--yes") { Description = "Confirm erasing a block device or an existing image file" };
        var command = new Command(
            "install",
            "Make a block device or image file a bootable Webc.BootSafe medium: MBR + ext4 + extlinux, the repository in live/filesystem.git, the revision verified and Stable. " +
            "Refuses mounted targets and the running system's disk. Exit 2 for bad input or refusals, 1 when a step fails (an image file is then removed).")
        {
            target, repo, revision, size, config, append, serial, dryRun, yes,
        };
        command.SetAction(parse => CommandRunner.RunText(() =>
        {
            _ = globals;
            new Installer(InstallLog.Console).Run(new InstallOptions(
                parse.GetValue(target) ?? "",
                parse.GetValue(repo) ?? "",
                parse.GetValue(revision) ?? "",
                parse.GetValue(size),
                parse.GetValue(config),
                parse.GetValue(dryRun),
                parse.GetValue(yes),
                parse.GetValue(append) ?? BootEntryOptions.DefaultAppend,
                parse.GetValue(serial)));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
