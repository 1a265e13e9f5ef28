using Webc.BootSafe.Cli;
using Webc.BootSafe.Specs.BootPath;
using Webc.BootSafe.Specs.Bootloader.Support;

namespace Webc.BootSafe.Specs.Robustness;

/// <summary>
/// Issue 15 item 7 on a real file system, through the NativeAOT binary the kiosk runs: a medium on a
/// small tmpfs filled to the last byte (real ENOSPC from the kernel), then remounted read-only (real
/// EROFS). Every mutating command says so in one line, exit 1, no stack trace, and the record stays
/// readable and unchanged. A handful of bad invocations the property runs in-process run here through
/// the AOT binary too.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class FullAndReadOnlyMediumSpecs : IDisposable
{
    private readonly TempDirectory _work = new("bootsafe-full");
    private readonly string _medium;
    private bool _mounted;

    public FullAndReadOnlyMediumSpecs()
    {
        _medium = _work.Combine("medium");
        Directory.CreateDirectory(_medium);
    }

    public void Dispose()
    {
        if (_mounted)
        {
            Processes.Try("umount", [_medium]);
        }

        _work.Dispose();
    }

    private ProcessResult Cli(params string[] args) =>
        ProcessResult.Run(AotBinary.Path, ["--medium", _medium, .. args], new Dictionary<string, string> { [MediumAccess.SimulatedMediumVariable] = "1" });

    private void Ok(params string[] args)
    {
        var result = Cli(args);
        Assert.True(result.ExitCode == 0, $"webc-bootsafe {string.Join(' ', args)}: {result}");
    }

    private List<string> Medium(int megabytes)
    {
        Processes.Run("mount", ["-t", "tmpfs", "-o", $"size={megabytes}m", "bootsafe-full", _medium]);
        _mounted = true;
        var source = _work.Combine("source");
        Processes.Run("git", ["init", "-q", source]);
        var revisions = new List<string>();
        for (var n = 1; n <= 3; n++)
        {
            var boot = Path.Combine(source, "boot");
            if (Directory.Exists(boot))
            {
                Directory.Delete(boot, recursive: true);
            }

            Directory.CreateDirectory(boot);
            File.WriteAllText(Path.Combine(boot, $"vmlinuz-6.1.0-{n}"), $"kernel {n}");
            File.WriteAllText(Path.Combine(boot, $"initrd.img-6.1.0-{n}"), $"initrd {n}");
            Processes.Run("git", ["-C", source, "add", "-A"]);
            Processes.Run("git", ["-C", source, "-c", "user.email=s@example.org", "-c", "user.name=specs", "commit", "-q", "-m", $"r{n}"]);
            revisions.Add(Processes.Run("git", ["-C", source, "rev-parse", "HEAD"]).Trim());
        }

        Directory.CreateDirectory(Path.Combine(_medium, "boot", "extlinux"));
        Directory.CreateDirectory(Path.Combine(_medium, "live"));
        File.WriteAllBytes(Path.Combine(_medium, "boot", "extlinux", "ldlinux.sys"), FakeBootImage.Create());
        Processes.Run("git", ["clone", "-q", "--bare", source, Path.Combine(_medium, "live", "filesystem.git")]);
        Ok("init", "--revision", revisions[0]);
        File.WriteAllText(Path.Combine(_medium, "live", "bootsafe", "config.yaml"), "allow-unsigned: true\n");
        Ok("bootloader", "sync");
        return revisions;
    }

    private static void OneLine(ProcessResult result, string expected)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, result.ToString());
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Stderr, StringComparison.Ordinal);
    }

    [HostFact]
    public void A_full_then_read_only_medium_gives_one_line_per_command_and_keeps_the_record()
    {
        var revisions = Medium(megabytes: 4);
        Ok("stage", revisions[1]);
        var state = File.ReadAllBytes(Path.Combine(_medium, "live", "bootsafe", "state.yaml"));

        // Fill the tmpfs to the last byte: every later write meets ENOSPC from the kernel.
        Processes.Try("dd", ["if=/dev/zero", $"of={Path.Combine(_medium, "filler")}", "bs=64k"]);
        OneLine(Cli("unstage"), "No space left on device");
        Assert.Equal(state, File.ReadAllBytes(Path.Combine(_medium, "live", "bootsafe", "state.yaml")));

        // A refusal whose history line cannot be written is still the refusal, in one line.
        OneLine(Cli("mark-bad", "--reason", "full"), "cannot take a health verdict");

        Ok("status");
        Processes.Run("mount", ["-o", "remount,ro", _medium]);
        foreach (var command in new[] { new[] { "unstage" }, ["mark-bad", "--reason", "ro"], ["stage", revisions[2]], ["bootloader", "sync"], ["init", "--force", "--revision", revisions[0]] })
        {
            OneLine(Cli(command), "Not a writable boot medium");
        }

        Ok("status");
        Processes.Run("mount", ["-o", "remount,rw", _medium]);
    }

    [HostTheory]
    [InlineData(2, "select", "--cmdline", "/dev/zero", "--bogus")]
    [InlineData(2, "bootloader", "once", "--bogus")]
    [InlineData(2, "install", "--revision", "no-such-ref", "--target", "/nonexistent/disk.img", "--repo", "/nonexistent")]
    [InlineData(2, "stage", "not-a-revision")]
    [InlineData(2, "verify", "0000000000000000000000000000000000000000", "--cmdline", "/dev/zero")]
    public void Bad_invocations_through_the_AOT_binary_are_one_line_with_a_documented_code(int code, params string[] args)
    {
        Medium(megabytes: 16);
        var result = Cli(args);
        Assert.True(result.ExitCode == code, result.ToString());
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Stderr, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(result.Stderr), result.ToString());
    }
}
