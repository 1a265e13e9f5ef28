using Webc.BootSafe.Cli;
using Webc.BootSafe.Specs.BootPath;

namespace Webc.BootSafe.Specs.Bootloader.Support;

/// <summary>
/// A medium directory (a stand-in ldlinux.sys whose ADV has the real layout) whose live/filesystem.git
/// holds <c>releases</c> commits, each with exactly one kernel and initrd; initialized on the first
/// and synced, through the built CLI, as an operator would.
/// </summary>
public sealed class CliMediumDirectory : IDisposable
{
    private readonly string _root;

    public CliMediumDirectory(string prefix, int releases)
    {
        _root = Directory.CreateTempSubdirectory(prefix + "-").FullName;
        Medium = Path.Combine(_root, "medium");
        var source = Path.Combine(_root, "source");
        Directory.CreateDirectory(Path.Combine(Medium, "boot", "extlinux"));
        Directory.CreateDirectory(Path.Combine(Medium, "live"));
        File.WriteAllBytes(Path.Combine(Medium, "boot", "extlinux", "ldlinux.sys"), FakeBootImage.Create());
        Git(_root, "init", "-q", source);
        var boot = Path.Combine(source, "boot");
        Directory.CreateDirectory(boot);
        for (var n = 1; n <= releases; n++)
        {
            foreach (var old in Directory.EnumerateFiles(boot))
            {
                // Each release carries exactly one kernel and initrd, as the one kernel-pair rule demands.
                File.Delete(old);
            }

            File.WriteAllText(Path.Combine(boot, $"vmlinuz-6.1.0-{n}"), $"kernel {n}");
            File.WriteAllText(Path.Combine(boot, $"initrd.img-6.1.0-{n}"), $"initrd {n}");
            Git(source, "add", "-A");
            Git(source, "-c", "user.email=s@example.org", "-c", "user.name=specs", "commit", "-q", "-m", $"release {n}");
            Revisions.Add(Git(source, "rev-parse", "HEAD").Trim());
        }

        Git(_root, "clone", "-q", "--bare", source, Path.Combine(Medium, "live", "filesystem.git"));
        Ok("init", "--revision", Revisions[0]);
        // An unsigned test channel: `stage` runs fetch's checks, with this policy.
        File.WriteAllText(Path.Combine(Medium, "live", "bootsafe", "config.yaml"), "allow-unsigned: true\n");
        Ok("bootloader", "sync");
    }

    public string Medium { get; }

    public List<string> Revisions { get; } = [];

    public ProcessResult Ok(params string[] args)
    {
        var result = Cli(args);
        Assert.True(result.ExitCode == 0, $"webc-bootsafe {string.Join(' ', args)}: {result}");
        return result;
    }

    public ProcessResult Cli(params string[] args) =>
        ProcessResult.Run(
            "dotnet",
            new[] { Path.Combine(AppContext.BaseDirectory, "webc-bootsafe.dll"), "--medium", Medium }.Concat(args),
            new Dictionary<string, string> { [MediumAccess.SimulatedMediumVariable] = "1" });

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Git(string dir, params string[] args)
    {
        var result = ProcessResult.Run("git", new[] { "-C", dir }.Concat(args));
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', args)}: {result}");
        return result.Stdout;
    }
}
