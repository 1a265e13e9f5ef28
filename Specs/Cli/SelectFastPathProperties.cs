using System.CommandLine;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.Cli;
using Webc.BootSafe.Cli.Commands;

namespace Webc.BootSafe.Specs.Cli;

/// <summary>
/// Issue 17: select skips the command tree on the boot path (SelectOnBootPath.TryParse). Differential
/// against the tree itself: whenever the shortcut takes an argv, the tree parses the same argv without
/// errors, to select, with the same --medium, --cmdline and --json; the argv the tree rejects or reads
/// differently (help, duplicates, <c>--opt=V</c>, values that look like options) are never taken.
/// </summary>
[Properties(Arbitrary = [typeof(SelectFastPathProperties)], MaxTest = 500)]
public sealed class SelectFastPathProperties
{
    private static readonly string[] Tokens =
    [
        "--medium", "--cmdline", "--json", "--medium", "--cmdline", "/m", "/proc/cmdline", "x=y", "select", "status",
        "-", "--", "-1", "", " ", "true", "false", "--help", "-h", "--medium=/m", "--bogus", "@file", "é",
    ];

    public static Arbitrary<string[]> Argv() =>
        (from lead in Gen.Frequency((6, Gen.Constant("select")), (1, Gen.Elements(Tokens)))
         from count in Gen.Choose(0, 7)
         from rest in Gen.ListOf(Gen.Elements(Tokens), count)
         select (string[])[lead, .. rest])
        .ToArbitrary();

    [Property]
    public void The_shortcut_takes_only_what_the_tree_parses_to_the_same_values(string[] argv)
    {
        if (!SelectOnBootPath.TryParse(argv, out var medium, out var commandLine, out var json))
        {
            return;
        }

        var globals = new GlobalOptions();
        var parsed = WebcCommandLine.Create(globals).Parse(argv, new ParserConfiguration { ResponseFileTokenReplacer = null });
        Assert.Empty(parsed.Errors);
        Assert.Equal("select", parsed.CommandResult.Command.Name);
        var cmdline = parsed.CommandResult.Command.Options.OfType<Option<string>>().Single(o => o.Name == "--cmdline");
        Assert.Equal(parsed.GetValue(globals.Medium), medium);
        Assert.Equal(parsed.GetValue(cmdline), commandLine);
        Assert.Equal(parsed.GetValue(globals.Json), json);
    }

    [Fact]
    public void The_initramfs_call_takes_the_shortcut()
    {
        Assert.True(SelectOnBootPath.TryParse(["select", "--medium", "/lib/live/mount/medium"], out var medium, out var commandLine, out var json));
        Assert.Equal(("/lib/live/mount/medium", Webc.BootSafe.Fetch.Params.BootParameterReader.ProcCmdline, false), (medium, commandLine, json));
        Assert.False(SelectOnBootPath.TryParse(["select", "--help"], out _, out _, out _));
    }
}
