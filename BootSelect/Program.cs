using Webc.BootSafe.Cli;

return SelectOnBootPath.RunBinary(args);
