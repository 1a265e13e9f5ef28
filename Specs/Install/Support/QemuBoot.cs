using System.Diagnostics;
using System.Globalization;

namespace Webc.BootSafe.Specs.Install.Support;

/// <summary>
/// Boots a raw disk image with BIOS under QEMU (TCG) until the guest powers off or the timeout
/// passes, the serial console captured to a file. The VM is killed in finally whatever happens.
/// (Minimal on purpose; the lab's runner replaces it once it is on main.)
/// </summary>
public static class QemuBoot
{
    public sealed record Console(string Text, bool PoweredOff, TimeSpan Elapsed);

    public static Console Run(string image, string logPath, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("qemu-system-x86_64")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[]
                 {
                     "-machine", "pc,accel=tcg", "-m", "512", "-display", "none", "-monitor", "none", "-no-reboot",
                     "-serial", "file:" + logPath, "-drive", $"file={image},format=raw,if=ide",
                 })
        {
            start.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var vm = Process.Start(start) ?? throw new InvalidOperationException("cannot start qemu-system-x86_64");
        vm.StandardInput.Close();
        _ = vm.StandardOutput.ReadToEndAsync();
        var errors = vm.StandardError.ReadToEndAsync();
        var exited = false;
        try
        {
            exited = vm.WaitForExit(timeout);
        }
        finally
        {
            if (!vm.HasExited)
            {
                vm.Kill(entireProcessTree: true);
                vm.WaitForExit();
            }
        }

        var text = (File.Exists(logPath) ? File.ReadAllText(logPath) : "") +
                   (exited ? "" : $"\n[killed after {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s]") + errors.Result;
        return new Console(text, exited && vm.ExitCode == 0, clock.Elapsed);
    }
}
