using System.Security.Cryptography;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.BootPath;

/// <summary>
/// Issue 14 item 3, on a loop-mounted ext4 with the real extlinux: every refusal of `stage` (both
/// ADV copies corrupt, ldlinux.sys missing, medium full, a refused line in extlinux.conf, the
/// machine's refusal, a read-only mount) happens before the first byte: a hash of every file of the
/// medium (the whole tree: live/bootsafe/*, the repository, kernel files, ldlinux.sys) is the same
/// before and after, the record is still Good, and the exit code is the documented one.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class StageRefusalSpecs : IDisposable
{
    /// <summary>Big enough that a medium with less room than it plus the margin is easy to make.</summary>
    private const int KernelBytes = 3 << 20;

    private readonly TempDirectory work = new("bootsafe-stage-refusal");
    private readonly LoopMount mount;
    private readonly List<string> revisions = [];

    public StageRefusalSpecs()
    {
        var image = work.Combine("medium.img");
        using (var file = File.Create(image))
        {
            file.SetLength(48L << 20);
        }

        Run.Command("mkfs.ext4", "-q", "-F", "-O", "^inline_data", image);
        mount = LoopMount.FileSystem(image);
        Directory.CreateDirectory(ExtlinuxDirectory);
        Run.Command("extlinux", "--install", ExtlinuxDirectory);
        Directory.CreateDirectory(Path.Combine(mount.Root, "live"));

        var source = work.Combine("source");
        Git(work.Path, "init", "-q", source);
        for (var n = 1; n <= 2; n++)
        {
            Directory.CreateDirectory(Path.Combine(source, "boot"));
            foreach (var old in Directory.EnumerateFiles(Path.Combine(source, "boot")))
            {
                // Each release carries exactly one kernel and initrd, as the one kernel-pair rule demands.
                File.Delete(old);
            }

            File.WriteAllBytes(Path.Combine(source, "boot", $"vmlinuz-6.1.0-{n}"), RandomNumberGenerator.GetBytes(KernelBytes));
            File.WriteAllBytes(Path.Combine(source, "boot", $"initrd.img-6.1.0-{n}"), RandomNumberGenerator.GetBytes(1024));
            Git(source, "add", "-A");
            Git(source, "-c", "user.email=s@example.org", "-c", "user.name=specs", "commit", "-q", "-m", $"release {n}");
            revisions.Add(Git(source, "rev-parse", "HEAD").Trim());
        }

        Git(work.Path, "clone", "-q", "--bare", source, Path.Combine(mount.Root, "live", "filesystem.git"));
        Ok("init", "--revision", revisions[0]);
        // An unsigned test channel: `stage` runs fetch's checks, with this policy.
        File.WriteAllText(Path.Combine(mount.Root, "live", "bootsafe", "config.yaml"), "allow-unsigned: true\n");
        Ok("bootloader", "sync");
    }

    private string ExtlinuxDirectory => Path.Combine(mount.Root, "boot", "extlinux");

    private string BootImage => Path.Combine(ExtlinuxDirectory, "ldlinux.sys");

    public void Dispose()
    {
        try
        {
            Run.Try("mount", "-o", "remount,rw", mount.Root);
            mount.Dispose();
        }
        finally
        {
            work.Dispose();
        }
    }

    [HostFact]
    public void Both_adv_copies_corrupt_refuses_with_nothing_written() =>
        Refuses(() =>
        {
            Run.Command("chattr", "-i", BootImage);
            using (var file = File.OpenWrite(BootImage))
            {
                file.Seek(-1024, SeekOrigin.End);
                file.Write(new byte[1024].Select((_, i) => (byte)(i * 7 + 1)).ToArray());
            }

            Run.Command("chattr", "+i", BootImage);
        }, exitCode: 1, "both ADV copies");

    [HostFact]
    public void Ldlinux_sys_missing_refuses_with_nothing_written() =>
        Refuses(() =>
        {
            Run.Command("chattr", "-i", BootImage);
            File.Delete(BootImage);
        }, exitCode: 2, "ldlinux.sys");

    [HostFact]
    public void A_full_medium_refuses_with_nothing_written() =>
        Refuses(() =>
        {
            // Leave less room than the kernel needs (f_bavail as statvfs reports it).
            var fields = Run.Command("stat", "-f", "-c", "%a %S", mount.Root).Trim().Split(' ');
            var free = long.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture) * long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
            Run.Command("fallocate", "-l", (free - (KernelBytes / 2)).ToString(System.Globalization.CultureInfo.InvariantCulture), Path.Combine(mount.Root, "filler"));
        }, exitCode: 1, "bytes free");

    [HostFact]
    public void A_refused_operator_line_in_extlinux_conf_refuses_with_nothing_written() =>
        Refuses(() =>
        {
            var config = Path.Combine(ExtlinuxDirectory, "extlinux.conf");
            File.WriteAllText(config, "INCLUDE other.cfg\n" + File.ReadAllText(config));
        }, exitCode: 2, "line 1 'INCLUDE other.cfg'");

    [HostFact]
    public void The_machines_refusal_writes_only_its_history_line() =>
        Refuses(() => { }, exitCode: 1, string.Empty, stage: revisions[0], historyLine: true);

    /// <summary>The medium lock is the first thing that cannot be opened on a read-only mount; StagePreconditions checks again for storages whose lock lives elsewhere.</summary>
    [HostFact]
    public void A_read_only_medium_refuses_with_nothing_written() =>
        Refuses(() => Run.Command("mount", "-o", "remount,ro", mount.Root), exitCode: 1, "Not a writable boot medium");

    /// <param name="historyLine">
    /// A refusal by the machine appends one "Refused" line to history.log with its reason (issue 14:
    /// every refusal leaves a history line); every other file stays byte-identical. A refused
    /// precondition writes nothing at all.
    /// </param>
    private void Refuses(Action fault, int exitCode, string message, string? stage = null, bool historyLine = false)
    {
        fault();
        var stateBefore = Ok("status").Stdout;
        var history = Path.Combine(mount.Root, "live", "bootsafe", "history.log");
        var historyBefore = File.ReadAllLines(history);
        var before = historyLine ? SnapshotWithout(history) : Snapshot();

        var result = Cli("stage", stage ?? revisions[1]);

        Assert.True(result.ExitCode == exitCode, $"stage exited {result.ExitCode}, expected {exitCode}: {result}");
        Assert.Contains(message, result.Stdout + result.Stderr);
        Assert.DoesNotContain("Unhandled", result.Stderr);
        Assert.Equal(before, historyLine ? SnapshotWithout(history) : Snapshot());
        if (historyLine)
        {
            var after = File.ReadAllLines(history);
            Assert.Equal(historyBefore, after[..historyBefore.Length]);
            Assert.Single(after[historyBefore.Length..]);
            Assert.Contains("\"Refused\"", after[^1]);
        }

        Assert.Equal(stateBefore, Ok("status").Stdout);
        Assert.DoesNotContain("Staged", Ok("status").Stdout.Split('\n')[0]);
    }

    /// <summary>Every file of the medium, with a hash of its content.</summary>
    private string Snapshot() => SnapshotWithout(null);

    private string SnapshotWithout(string? left)
    {
        Run.Command("sync");
        return string.Join('\n', Directory.EnumerateFiles(mount.Root, "*", SearchOption.AllDirectories)
            .Where(p => p != left)
            .Order(StringComparer.Ordinal)
            .Select(p => p + " " + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p)))));
    }

    private ProcessResult Ok(params string[] args)
    {
        var result = Cli(args);
        Assert.True(result.ExitCode == 0, $"webc-bootsafe {string.Join(' ', args)}: {result}");
        return result;
    }

    private ProcessResult Cli(params string[] args) =>
        ProcessResult.Run("dotnet", new[] { Path.Combine(AppContext.BaseDirectory, "webc-bootsafe.dll"), "--medium", mount.Root }.Concat(args));

    private static string Git(string dir, params string[] args)
    {
        var result = ProcessResult.Run("git", new[] { "-C", dir }.Concat(args));
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', args)}: {result}");
        return result.Stdout;
    }
}
