using Webc.BootSafe.Cli;
using System.Security.Cryptography;
using Webc.BootSafe.Cli.Commands;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.Specs.BootPath;

namespace Webc.BootSafe.Specs.Bootloader;

/// <summary>The bootloader commands as an operator runs them: the built CLI on a medium directory, a real git repository.</summary>
public sealed class BootloaderCliSpecs : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bootsafe-cli-").FullName;
    private readonly string _medium;
    private readonly List<string> _revisions = [];

    public BootloaderCliSpecs()
    {
        _medium = Path.Combine(_root, "medium");
        var source = Path.Combine(_root, "source");
        Directory.CreateDirectory(Path.Combine(_medium, "boot", "extlinux"));
        Directory.CreateDirectory(Path.Combine(_medium, "live"));
        File.WriteAllBytes(Path.Combine(_medium, "boot", "extlinux", "ldlinux.sys"), FakeBootImage.Create());
        Git(_root, "init", "-q", source);
        for (var n = 1; n <= 2; n++)
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
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

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

    /// <summary>Every file of the medium but the lock (and <paramref name="left"/>), with a hash of its content.</summary>
    private string Snapshot(string? left = null) =>
        string.Join('\n', Directory.EnumerateFiles(_medium, "*", SearchOption.AllDirectories)
            .Where(p => !p.Contains("filesystem.git", StringComparison.Ordinal) && Path.GetFileName(p) != "lock" && p != left)
            .Order(StringComparer.Ordinal)
            .Select(p => p + " " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p)))));

    private static string Git(string dir, params string[] args)
    {
        var result = ProcessResult.Run("git", new[] { "-C", dir }.Concat(args));
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', args)}: {result}");
        return result.Stdout;
    }
}
