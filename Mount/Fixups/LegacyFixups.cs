using System.Diagnostics;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Mount.Fixups;

/// <summary>
/// Runs an old tree's <c>.git-fixups/*</c> scripts in a chroot of that tree, in name order, as
/// Webconverger's initramfs did. Every script runs even if an earlier one fails (a half-fixed root
/// is worse than a fully attempted one); the failures are reported together.
/// </summary>
public static class LegacyFixups
{
    public const string Directory = ".git-fixups";

    public sealed record ScriptResult(string Name, int ExitCode);

    public static IReadOnlyList<ScriptResult> Run(string root, TextWriter log)
    {
        if (!System.IO.Directory.Exists(root))
        {
            throw new BadInputException($"ROOT '{root}': no such directory");
        }

        var dir = Path.Combine(root, Directory);
        if (!System.IO.Directory.Exists(dir))
        {
            throw new BadInputException($"ROOT '{root}': has no {Directory}/ directory");
        }

        var results = new List<ScriptResult>();
        foreach (var script in System.IO.Directory.GetFiles(dir).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(script);
            var psi = new ProcessStartInfo("chroot") { UseShellExecute = false };
            psi.ArgumentList.Add(root);
            psi.ArgumentList.Add($"/{Directory}/{name}");
            using var process = Process.Start(psi) ?? throw new OperationFailedException("cannot start chroot");
            process.WaitForExit();
            log.WriteLine($"{Directory}/{name}: exit {process.ExitCode}");
            results.Add(new ScriptResult(name, process.ExitCode));
        }

        var failed = results.Where(r => r.ExitCode != 0).ToList();
        if (failed.Count > 0)
        {
            throw new OperationFailedException(
                $"{failed.Count} of {results.Count} fixup scripts failed: {string.Join(", ", failed.Select(f => $"{f.Name} (exit {f.ExitCode})"))}");
        }

        return results;
    }
}
