using Webc.BootSafe.Cli;
using System.Security.Cryptography;
using Webc.BootSafe.Cli.Commands;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.Specs.BootPath;

namespace Webc.BootSafe.Specs.Bootloader;

/// <summary>The bootloader commands as an operator runs them: the built CLI on a medium directory, a real git repository.</summary>
public sealed class BootloaderCliSpecs : IDisposable
{
    private readonly CliMediumDirectory _fixture = new("bootsafe-cli", 2);
    private readonly string _medium;
    private readonly List<string> _revisions;

    public BootloaderCliSpecs()
    {
        _medium = _fixture.Medium;
        _revisions = _fixture.Revisions;
    }

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void On_a_staged_medium_explain_names_trial_then_good()
    {
        Ok("stage", _revisions[1]);

        var text = Ok("explain", "--boots", "2").Stdout;
        var json = Ok("--json", "explain", "--boots", "2").Stdout;

        Assert.Contains($"boot 1: label trial -> revision {_revisions[1]} (boot-once)", text);
        Assert.Contains($"boot 2: label good -> revision {_revisions[0]}", text);
        Assert.Matches($"\"label\":\"trial\",\"revision\":\"{_revisions[1]}\".*\"label\":\"good\",\"revision\":\"{_revisions[0]}\"", json);
        Assert.Contains($"boot 1: label trial", Ok("explain", "--boots", "1").Stdout); // explain consumed nothing
    }

    [Fact]
    public void Once_sets_and_clears_the_real_adv_and_show_reports_it()
    {
        Ok("stage", _revisions[1]);
        Ok("bootloader", "once", "--clear");
        Assert.Contains("BOOTONCE (none)", Ok("bootloader", "show").Stdout);
        Assert.Contains("boot 1: label good", Ok("explain", "--boots", "1").Stdout);

        Ok("bootloader", "once", "trial");

        Assert.Contains("BOOTONCE trial", Ok("bootloader", "show").Stdout);
        Assert.Contains("boot 1: label trial", Ok("explain", "--boots", "1").Stdout);
    }

    [Theory]
    [InlineData("bootloader", "once", "nosuchlabel")]
    [InlineData("bootloader", "once")]
    [InlineData("stage", "0000000000000000000000000000000000000000")]
    [InlineData("stage", "HEAD", "--kernel", "/nonexistent", "--initrd", "/nonexistent")]
    [InlineData("stage", "HEAD", "--timeout", "0")]
    [InlineData("explain", "--boots", "0")]
    public void Bad_input_exits_2_and_leaves_the_medium_as_it_was(params string[] args)
    {
        var before = Snapshot();

        var result = Cli(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void Staging_the_known_good_revision_is_refused_with_exit_1_and_only_a_history_line()
    {
        var history = Path.Combine(_medium, "live", "bootsafe", "history.log");
        var before = Snapshot(history);
        var historyBefore = File.ReadAllLines(history);

        var result = Cli("stage", _revisions[0]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("already the known-good", result.Stderr);
        Assert.Equal(before, Snapshot(history));
        var after = File.ReadAllLines(history);
        Assert.Equal(historyBefore, after[..historyBefore.Length]);
        Assert.Contains("\"Refused\"", Assert.Single(after[historyBefore.Length..]));
    }

    private ProcessResult Ok(params string[] args) => _fixture.Ok(args);

    private ProcessResult Cli(params string[] args) => _fixture.Cli(args);

    /// <summary>Every file of the medium but the lock (and <paramref name="left"/>), with a hash of its content.</summary>
    private string Snapshot(string? left = null) =>
        string.Join('\n', Directory.EnumerateFiles(_medium, "*", SearchOption.AllDirectories)
            .Where(p => !p.Contains("filesystem.git", StringComparison.Ordinal) && Path.GetFileName(p) != "lock" && p != left)
            .Order(StringComparer.Ordinal)
            .Select(p => p + " " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p)))));

}
