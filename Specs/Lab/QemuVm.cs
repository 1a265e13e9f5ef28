using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Webc.BootSafe.Specs.Lab;

/// <summary>
/// Boots a raw disk image in QEMU (TCG: /dev/kvm here is PVM, which syslinux cannot run on) until
/// the guest powers off or the timeout passes; the serial console goes to a log. The VM is killed
/// in finally whatever happens. Guests that never power off (a kiosk) are stopped once the console
/// shows what the spec waits for.
/// </summary>
public static class QemuVm
{
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromMinutes(3);

    /// <param name="stopWhen">Polled with the console text; true ends the VM (it then counts as stopped, not powered off).</param>
    /// <param name="extraArguments">More qemu arguments (network, a second disk, -smp).</param>
    /// <param name="drive">The boot disk's -drive value instead of the raw image on IDE (e.g. through blkdebug).</param>
    public static SerialConsole Boot(
        string image,
        string logPath,
        TimeSpan? timeout = null,
        int memoryMiB = 512,
        Func<string, bool>? stopWhen = null,
        IEnumerable<string>? extraArguments = null,
        string? drive = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var start = new ProcessStartInfo("qemu-system-x86_64")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "-machine", "pc,accel=tcg", "-m", memoryMiB.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-display", "none", "-monitor", "none", "-serial", "file:" + logPath,
            "-drive", drive ?? $"file={image},format=raw,if=ide",
        }.Concat(extraArguments ?? []))
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var vm = Process.Start(start) ?? throw new InvalidOperationException("cannot start qemu-system-x86_64");
        vm.StandardInput.Close();
        var stderr = vm.StandardError.ReadToEndAsync();
        _ = vm.StandardOutput.ReadToEndAsync();
        var exited = false;
        try
        {
            exited = stopWhen is null ? vm.WaitForExit(limit) : WaitForExitOrConsole(vm, logPath, limit, stopWhen);
        }
        finally
        {
            if (!vm.HasExited)
            {
                vm.Kill(entireProcessTree: true);
                vm.WaitForExit();
            }
        }

        return new SerialConsole(ReadLog(logPath), exited ? vm.ExitCode : null, clock.Elapsed, stderr.Result);
    }

    private static bool WaitForExitOrConsole(Process vm, string logPath, TimeSpan limit, Func<string, bool> stopWhen)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (vm.WaitForExit(TimeSpan.FromMilliseconds(100)))
            {
                return true;
            }

            if (stopWhen(ReadLog(logPath)))
            {
                return false;
            }
        }

        return false;
    }

    // qemu holds the log open for writing; share it.
    private static string ReadLog(string logPath)
    {
        if (!File.Exists(logPath))
        {
            return "";
        }

        using var stream = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>What a boot printed on the serial console, and how the VM ended (null exit code: killed at the timeout or by stopWhen).</summary>
public sealed partial record SerialConsole(string Text, int? ExitCode, TimeSpan Elapsed, string QemuErrors)
{
    public bool PoweredOff => ExitCode == 0;

    /// <summary>Boot events in order: <c>BOOTED-&lt;marker&gt;</c> lines and <c>PANIC</c> for each kernel panic.</summary>
    public IReadOnlyList<string> Events =>
        EventPattern().Matches(Text).Select(m => m.Groups["marker"].Success ? "BOOTED-" + m.Groups["marker"].Value : "PANIC").ToList();

    /// <summary>The kernel command line the initrd printed with <c>BOOTED-&lt;marker&gt;</c>.</summary>
    public string? CommandLineOf(string marker) =>
        Regex.Match(Text, $@"BOOTED-{Regex.Escape(marker)} cmdline=\[(?<c>[^\]]*)\]") is { Success: true } m ? m.Groups["c"].Value : null;

    public override string ToString() =>
        $"exit {ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none (killed at timeout)"} after {Elapsed.TotalSeconds:F1}s, " +
        $"events [{string.Join(", ", Events)}]\n--- console tail ---\n{Tail(Text, 3000)}\n--- qemu stderr ---\n{QemuErrors}";

    [GeneratedRegex(@"BOOTED-(?<marker>[A-Za-z0-9_.-]+) cmdline=|Kernel panic - not syncing")]
    private static partial Regex EventPattern();

    private static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];
}
