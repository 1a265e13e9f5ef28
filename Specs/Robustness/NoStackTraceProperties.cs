using System.Security.Cryptography;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.Updates.Confirm;

namespace Webc.BootSafe.Specs.Robustness;

/// <summary>A file of the medium (or an input beside it) and how it is damaged before the command runs.</summary>
public sealed record Corruption(string File, string How, int Cut, byte[] Garbage)
{
    public override string ToString() => $"{File}: {How} (cut {Cut}, {Garbage.Length} garbage bytes)";
}

/// <summary>One generated invocation: argv (with {medium} and {input} placeholders) and a corruption.</summary>
public sealed record Invocation(string[] Argv, Corruption? Damage)
{
    public override string ToString() => $"[{string.Join(" ", Argv.Select(a => $"'{a}'"))}] {Damage?.ToString() ?? "(intact medium)"}";
}

/// <summary>
/// Issue 15 item 7: the real command tree (in-process through CliEntry, as the binary runs it) with
/// generated argv (known verbs, random, missing and garbage options and arguments) on a medium whose
/// files are generated corruptions (truncated or garbage state.yaml, config.yaml, history.log,
/// extlinux.conf, ldlinux.sys, a directory or /dev/zero where a file belongs). Every run exits with a
/// documented code, prints no stack frame and no exception type, and exit 2 leaves the medium
/// byte-identical.
/// </summary>
[Properties(Arbitrary = [typeof(NoStackTraceProperties)], MaxTest = 300)]
public sealed class NoStackTraceProperties
{
    private static readonly Lazy<CliMediumDirectory> Template = new(() => new CliMediumDirectory("bootsafe-robust", 3));

    private static readonly string[] Verbs =
    [
        "status", "history", "history --verify", "graph", "select", "confirm", "mark-good", "mark-bad", "stage", "unstage",
        "unfail", "bootloader show", "bootloader once", "bootloader sync", "bootloader simulate-boot", "explain", "params",
        "verify", "scrub", "fetch", "update", "init", "",
    ];

    private static readonly string[] Options =
    [
        "--json", "--force", "--no-verify", "--reason", "--revision", "--kernel", "--initrd", "--repo", "--cmdline", "--timeout",
        "--append", "--serial", "--boots", "--format", "--verify", "--clear", "--outcome", "--adv-write-fails", "--max-trial-boots",
        "--lock-timeout", "--allow-no-checks", "--stage", "--bogus", "-o", "--", "-", "--medium",
    ];

    private static readonly string[] Values =
    [
        "{input}", "/dev/zero", "/nonexistent/x", "{medium}", "{medium}/live", "HEAD", "refs/bootsafe/known-good", "0", "-1",
        "99999999999999999999", "trial", "good", "nan", "", " ", "é\u0001\u00ff", "0000000000000000000000000000000000000000",
        "{rev0}", "{rev1}", "{rev2}", "x=y", "--json", "pass", "fail", "dot",
    ];

    private static readonly string[] Files =
    [
        "live/bootsafe/state.yaml", "live/bootsafe/state.yaml.prev", "live/bootsafe/config.yaml", "live/bootsafe/history.log",
        "boot/extlinux/extlinux.conf", "boot/extlinux/ldlinux.sys", "live/bootsafe/webc-cmdline", "input",
    ];

    private static readonly string[] Hows = ["truncate", "garbage", "empty", "directory", "missing", "dev-zero", "append-garbage"];

    private static readonly Regex ExceptionName = new(@"\b[A-Z][A-Za-z0-9]*Exception\b", RegexOptions.Compiled);

    public static Arbitrary<Invocation> Invocations() =>
        (from verb in Gen.Elements(Verbs)
         from count in Gen.Choose(0, 6)
         from extra in Gen.ListOf(Gen.OneOf(Gen.Elements(Options), Gen.Elements(Values)), count)
         from damaged in Gen.Frequency((1, Gen.Constant(false)), (3, Gen.Constant(true)))
         from file in Gen.Elements(Files)
         from how in Gen.Elements(Hows)
         from cut in Gen.Choose(0, 400)
         from length in Gen.Choose(0, 64)
         from garbage in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length)
         select new Invocation(
             [.. verb.Split(' ', StringSplitOptions.RemoveEmptyEntries), .. extra],
             damaged ? new Corruption(file, how, cut, garbage) : null))
        .ToArbitrary();

    [Property]
    public void Every_run_exits_with_a_documented_code_one_line_per_problem_and_no_stack_trace(Invocation invocation)
    {
        // mark-bad --reboot and confirm ask for a reboot: never this machine's.
        Environment.SetEnvironmentVariable(RebootCommand.EnvironmentVariable, "true");
        var dir = Directory.CreateTempSubdirectory("bootsafe-robust-case-").FullName;
        try
        {
            var medium = Path.Combine(dir, "medium");
            Copy(Template.Value.Medium, medium);
            var input = Path.Combine(dir, "input");
            File.WriteAllText(input, "git-revision=" + Template.Value.Revisions[0] + " bootsafe.slot=good\n");
            if (invocation.Damage is { } damage)
            {
                Apply(damage, damage.File == "input" ? input : Path.Combine(medium, damage.File));
            }

            var argv = new List<string> { "--medium", medium };
            argv.AddRange(invocation.Argv.Select(a => a
                .Replace("{medium}", medium, StringComparison.Ordinal)
                .Replace("{input}", input, StringComparison.Ordinal)
                .Replace("{rev0}", Template.Value.Revisions[0], StringComparison.Ordinal)
                .Replace("{rev1}", Template.Value.Revisions[1], StringComparison.Ordinal)
                .Replace("{rev2}", Template.Value.Revisions[2], StringComparison.Ordinal)));
            if (argv.Contains("confirm") && !argv.Contains("--health-dir"))
            {
                // Never this machine's health scripts.
                argv.AddRange(["--health-dir", Path.Combine(dir, "health")]);
            }

            var before = Hash(medium);
            var result = InProcessCli.Run([.. argv]);
            var context = $"webc-bootsafe {string.Join(' ', argv)}\n{result}";

            Assert.True(result.ExitCode is >= 0 and <= 4, "undocumented exit code: " + context);
            Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Stdout, StringComparison.Ordinal);
            Assert.False(ExceptionName.IsMatch(result.Stderr), "an exception type reached stderr: " + context);
            Assert.DoesNotContain("unexpected ", result.Stderr, StringComparison.Ordinal);
            if (result.ExitCode != 0)
            {
                Assert.False(string.IsNullOrWhiteSpace(result.Stderr), "a failure without a word on stderr: " + context);
            }

            if (result.ExitCode == 2)
            {
                Assert.True(before == Hash(medium), "bad input changed the medium: " + context);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Apply(Corruption damage, string path)
    {
        var bytes = File.Exists(path) ? File.ReadAllBytes(path) : [];
        switch (damage.How)
        {
            case "truncate":
                File.WriteAllBytes(path, bytes[..Math.Min(bytes.Length, damage.Cut)]);
                break;
            case "garbage":
                File.WriteAllBytes(path, damage.Garbage);
                break;
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "directory":
                File.Delete(path);
                Directory.CreateDirectory(path);
                break;
            case "missing":
                File.Delete(path);
                break;
            case "dev-zero":
                File.Delete(path);
                File.CreateSymbolicLink(path, "/dev/zero");
                break;
            default:
                File.WriteAllBytes(path, [.. bytes, .. damage.Garbage]);
                break;
        }
    }

    private static void Copy(string from, string to) => Processes.Run("cp", ["-a", from, to]);

    // Every file's path, kind and content (a symlink by its target, never followed into /dev/zero).
    private static string Hash(string root)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(root, entry.FullName);
            if (entry.LinkTarget is { } target)
            {
                sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"L {name} -> {target}\n"));
            }
            else if (entry is DirectoryInfo)
            {
                sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"D {name}\n"));
            }
            else
            {
                sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"F {name}\n"));
                sha.AppendData(File.ReadAllBytes(entry.FullName));
            }
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }
}
