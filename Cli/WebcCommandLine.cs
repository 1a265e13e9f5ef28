using Webc.BootSafe.Cli.Commands;

namespace Webc.BootSafe.Cli;

/// <summary>The root command and every command under it: one list, which the specs walk too.</summary>
public static class WebcCommandLine
{
    public static RootCommand Create(GlobalOptions globals)
    {
        var root = new RootCommand(
            """
            Webc.BootSafe: crash-safe A/B updates for git-backed kiosk root filesystems.

            Exit codes: 0 ok; 1 the operation failed (nothing on the medium changed, or it was left
            consistent); 2 bad input or usage. `select` documents its own extra codes.
            """);
        root.Options.Add(globals.Medium);
        root.Options.Add(globals.Json);

        // Each command lives in Commands/ and registers itself here, one line each.
        root.Subcommands.Add(InitCommand.Create(globals));
        root.Subcommands.Add(StatusCommand.Create(globals));
        root.Subcommands.Add(HistoryCommand.Create(globals));
        root.Subcommands.Add(GraphCommand.Create(globals));
        root.Subcommands.Add(SelectCommand.Create(globals));
        root.Subcommands.Add(ConfirmCommand.Create(globals));
        root.Subcommands.Add(MarkGoodCommand.Create(globals));
        root.Subcommands.Add(MarkBadCommand.Create(globals));
        root.Subcommands.Add(StageCommand.Create(globals));
        root.Subcommands.Add(UnstageCommand.Create(globals));
        root.Subcommands.Add(UnfailCommand.Create(globals));
        root.Subcommands.Add(BootloaderCommand.Create(globals));
        root.Subcommands.Add(ExplainCommand.Create(globals));
        root.Subcommands.Add(Webc.BootSafe.Cli.Commands.MountCommand.Create(globals));
        root.Subcommands.Add(Webc.BootSafe.Cli.Commands.UmountCommand.Create(globals));
        root.Subcommands.Add(Webc.BootSafe.Cli.Commands.FixupsCommand.Create(globals));
        root.Subcommands.Add(ParamsCommand.Create(globals));
        root.Subcommands.Add(VerifyCommand.Create(globals));
        root.Subcommands.Add(ScrubCommand.Create(globals));
        root.Subcommands.Add(FetchCommand.Create(globals));
        root.Subcommands.Add(ConfigCommand.Create(globals));
        root.Subcommands.Add(ReportCommand.Create(globals));
        root.Subcommands.Add(UpdateCommand.Create(globals));
        root.Subcommands.Add(InstallCommand.Create(globals));
        root.Subcommands.Add(CommitRootCommand.Create(globals));
        return root;
    }
}
