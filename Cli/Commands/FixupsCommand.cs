using Webc.BootSafe.Mount.Fixups;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>
/// `fixups --legacy ROOT`: runs an old tree's .git-fixups/* in a chroot. New trees declare owners and
/// modes in .bootsafe/metadata.yaml, which the mount applies, so they need no fixups.
/// </summary>
public static class FixupsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var legacy = new Option<bool>("--legacy") { Description = "Run ROOT/.git-fixups/* in a chroot of ROOT (trees without metadata.yaml)" };
        var root = new Argument<string>("ROOT") { Description = "The root of the mounted tree" };
        var command = new Command("fixups", "Run a legacy tree's .git-fixups scripts") { legacy, root };
        command.SetAction(parse => CommandRunner.RunText(() =>
        {
            if (!parse.GetValue(legacy))
            {
                throw new BadInputException(
                    "fixups: only --legacy is supported; trees with .bootsafe/metadata.yaml need no fixups (mount applies it)");
            }

            LegacyFixups.Run(parse.GetValue(root)!, Console.Out);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
