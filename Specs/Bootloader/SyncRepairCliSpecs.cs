using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Cli;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.Specs.BootPath;

namespace Webc.BootSafe.Specs.Bootloader;

/// <summary>Issue 14 item 4 through the built CLI: a hand edit after a promotion, then `bootloader sync` and `explain`.</summary>
public sealed class SyncRepairCliSpecs : IDisposable
{
    private readonly CliMediumDirectory _fixture = new("bootsafe-sync", 3);
    private readonly string _medium;
    private readonly List<string> _revisions;

    public SyncRepairCliSpecs()
    {
        _medium = _fixture.Medium;
        _revisions = _fixture.Revisions;
        Ok("stage", _revisions[1]);
        Ok("bootloader", "simulate-boot", "--outcome", "healthy");
    }

    private string Config => Path.Combine(_medium, "boot", "extlinux", "extlinux.conf");

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Deleting_the_marker_lines_after_a_promotion_is_repaired_and_reported_by_sync()
    {
        Assert.Contains($"boot 1: label good -> revision {_revisions[1]}", Ok("explain", "--boots", "1").Stdout);
        File.WriteAllLines(Config, File.ReadAllLines(Config)
            .Where(l => l != ExtlinuxConfigDocument.BeginMarker && l != ExtlinuxConfigDocument.EndMarker));

        var sync = Ok("bootloader", "sync").Stdout;

        Assert.Contains("repaired: the managed block was missing: rebuilt from the slot record", sync);
        Assert.Contains("'LABEL good'", sync);
        Assert.Contains($"boot 1: label good -> revision {_revisions[1]}", Ok("explain", "--boots", "1").Stdout);
        Assert.Contains("already names what the record says", Ok("bootloader", "sync").Stdout);
    }

    [Fact]
    public void An_operator_label_good_before_the_block_is_neutralised_by_sync()
    {
        File.WriteAllText(Config, $"LABEL good\n  LINUX /live/vmlinuz-{_revisions[0]}\n  APPEND git-revision={_revisions[0]}\n" + File.ReadAllText(Config));

        var sync = Ok("bootloader", "sync").Stdout;

        Assert.Contains("repaired: line 1 'LABEL good'", sync);
        Assert.Contains($"boot 1: label good -> revision {_revisions[1]}", Ok("explain", "--boots", "1").Stdout);
    }

    [Fact]
    public void An_include_is_refused_by_sync_and_stage_naming_the_line_with_nothing_written()
    {
        var text = "INCLUDE other.cfg\n" + File.ReadAllText(Config);
        File.WriteAllText(Config, text);

        foreach (var command in new[] { new[] { "bootloader", "sync" }, new[] { "stage", _revisions[2] } })
        {
            var result = Cli(command);
            Assert.True(result.ExitCode == 2, $"{string.Join(' ', command)}: {result}");
            Assert.Contains("extlinux.conf line 1 'INCLUDE other.cfg'", result.Stderr);
            Assert.Equal(text, File.ReadAllText(Config));
        }
    }

    private ProcessResult Ok(params string[] args) => _fixture.Ok(args);

    private ProcessResult Cli(params string[] args) => _fixture.Cli(args);

}
