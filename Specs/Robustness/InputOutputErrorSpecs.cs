using System.Security.Cryptography;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Robustness;

/// <summary>
/// Issue 15 item 7, EIO: a medium file that answers every read and write with a real EIO from the
/// kernel. No device-mapper here to fail a sector, so the file is a symlink to /proc/self/mem, whose
/// offset 0 is never mapped: the kernel answers EIO to read(2) and write(2) there, as a disk with a bad
/// sector does. state.yaml unreadable: its previous generation takes over. history.log unreadable: the
/// boot still uses state.yaml (a doubt, nothing written), and a command that must append says so in
/// one line, exit 1, no stack trace, with the state files unchanged.
/// </summary>
public sealed class InputOutputErrorSpecs : IDisposable
{
    private readonly TempDirectory _work = new("bootsafe-eio");
    private readonly string _medium;
    private readonly string _good = new('c', 40);

    public InputOutputErrorSpecs()
    {
        _medium = _work.Combine("medium");
        Directory.CreateDirectory(_medium);
        var init = InProcessCli.Run("--medium", _medium, "init", "--revision", _good);
        Assert.True(init.ExitCode == 0, init.ToString());
    }

    public void Dispose() => _work.Dispose();

    private string BootSafe(string name) => Path.Combine(_medium, "live", "bootsafe", name);

    private void Break(string name)
    {
        File.Delete(BootSafe(name));
        File.CreateSymbolicLink(BootSafe(name), "/proc/self/mem");
    }

    [Fact]
    public void The_symlink_gives_a_real_eio()
    {
        var e = Assert.ThrowsAny<IOException>(() => File.ReadAllBytes("/proc/self/mem"));
        Assert.Contains("Input/output error", e.Message);
    }

    [Fact]
    public void An_unreadable_state_file_is_replaced_by_its_previous_generation()
    {
        Break("state.yaml");
        var status = InProcessCli.Run("--medium", _medium, "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains(_good, status.Stdout);
        Assert.Contains("Input/output error", status.Stderr);
        Assert.DoesNotContain("   at ", status.Stderr);
    }

    [Fact]
    public void An_unreadable_history_leaves_state_yaml_in_charge_of_the_boot_and_a_refusal_is_one_line()
    {
        Break("history.log");
        var cmdline = _work.Combine("cmdline");
        File.WriteAllText(cmdline, $"boot=webc-bootsafe git-revision={_good} bootsafe.slot=good\n");
        var before = StateFiles();

        var select = InProcessCli.Run("--medium", _medium, "select", "--cmdline", cmdline);
        Assert.True(select.ExitCode == 0, select.ToString());
        Assert.Equal(_good, select.Stdout.Trim());
        Assert.Contains("history.log", select.Stderr);
        Assert.Contains("Input/output error", select.Stderr);

        var markGood = InProcessCli.Run("--medium", _medium, "mark-good");
        Assert.Equal(1, markGood.ExitCode);
        var lines = markGood.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains("Input/output error", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", markGood.Stderr);
        Assert.Equal(before, StateFiles());
    }

    private string StateFiles() =>
        string.Join(",", new[] { "state.yaml", "state.yaml.prev" }.Select(f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(BootSafe(f))))));
}
