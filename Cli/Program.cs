using Webc.BootSafe.Cli;

return CliEntry.Run(args);
