using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Cli;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.Specs.BootPath;

namespace Webc.BootSafe.Specs.Bootloader;

/// <summary>Issue 14 item 4 through the built CLI: a hand edit after a promotion, then `bootloader sync` and `explain`.</summary>
public sealed class SyncRepairCliSpecs : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bootsafe-sync-").FullName;
    private readonly string _medium;
    private readonly List<string> _revisions = [];

    public SyncRepairCliSpecs()
    {
        _medium = Path.Combine(_root, "medium");
        var source = Path.Combine(_root, "source");
        Directory.CreateDirectory(Path.Combine(_medium, "boot", "extlinux"));
        Directory.CreateDirectory(Path.Combine(_medium, "live"));
        File.WriteAllBytes(Path.Combine(_medium, "boot", "extlinux", "ldlinux.sys"), FakeBootImage.Create());
        Git(_root, "init", "-q", source);
        for (var n = 1; n <= 3; n++)
        {
            Directory.CreateDirectory(Path.Combine(source, "boot"));
            foreach (var old in Directory.EnumerateFiles(Path.Combine(source, "boot")))
            {
                // Each release carries exactly one kernel and initrd, as the one kernel-pair rule demands.
                File.Delete(old);
            }

            File.WriteAllText(Path.Combine(source, "boot", $"vmlinuz-6.1.0-{n}"), $"kernel {n}");
            File.WriteAllText(Path.Combine(source, "boot", $"initrd.img-6.1.0-{n}"), $"initrd {n}");
            Git(source, "add", "-A");
            Git(source, "-c", "user.email=s@example.org", "-c", "user.name=specs", "commit", "-q", "-m", $"release {n}");
            _revisions.Add(Git(source, "rev-parse", "HEAD").Trim());
        }

        Git(_root, "clone", "-q", "--bare", source, Path.Combine(_medium, "live", "filesystem.git"));
        Ok("init", "--revision", _revisions[0]);
        Ok("bootloader", "sync");
        Ok("stage", _revisions[1]);
        Ok("bootloader", "simulate-boot", "--outcome", "healthy");
    }

    private string Config => Path.Combine(_medium, "boot", "extlinux", "extlinux.conf");

    public void Dispose() => Directory.Delete(_root, recursive: true);

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

    private ProcessResult Ok(params string[] args)
    {
        var result = Cli(args);
        Assert.True(result.ExitCode == 0, $"webc-bootsafe {string.Join(' ', args)}: {result}");
        return result;
    }

    private ProcessResult Cli(params string[] args) =>
        ProcessResult.Run(
            "dotnet",
            new[] { Path.Combine(AppContext.BaseDirectory, "webc-bootsafe.dll"), "--medium", _medium }.Concat(args),
            new Dictionary<string, string> { [GlobalOptions.SimulatedMediumVariable] = "1" });

    private static string Git(string dir, params string[] args)
    {
        var result = ProcessResult.Run("git", new[] { "-C", dir }.Concat(args));
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', args)}: {result}");
        return result.Stdout;
    }
}
