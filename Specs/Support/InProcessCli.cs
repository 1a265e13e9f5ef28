using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Cli;

namespace Webc.BootSafe.Specs.Support;

/// <summary>
/// The real command tree, run in this process through <see cref="CliEntry"/> (thousands of generated
/// argv in seconds), with stdout and stderr captured. Console is process-wide, so runs are serialized.
/// The medium is a plain directory: its ADV is treated as on ext4, as the simulated medium's is.
/// </summary>
public static class InProcessCli
{
    private static readonly Lock Console_ = new();

    public static ProcessOutput Run(params string[] args)
    {
        lock (Console_)
        {
            var (stdout, stderr) = (Console.Out, Console.Error);
            // Not disposed: a property running beside this one (FsCheck writes to Console.Out) may
            // still hold these writers after they are swapped back, and a closed writer would throw.
            var output = new StringWriter();
            var error = new StringWriter();
            Console.SetOut(output);
            Console.SetError(error);
            try
            {
                var code = CliEntry.Run(args, FixedFileSystemProbe.Ext4);
                return new ProcessOutput(code, output.ToString(), error.ToString());
            }
            finally
            {
                Console.SetOut(stdout);
                Console.SetError(stderr);
            }
        }
    }
}
