using System.Text.Json;
using Webc.BootSafe.Specs.Bootloader.Support;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// Issue 18 through the built CLI on a medium directory (an unsigned test channel whose remote is a
/// local git repository three releases ahead): `fetch --plan --json` stages nothing and prints one
/// snake_case object; `update --now` stages, runs the reboot command and exits 3.
/// </summary>
public sealed class UpdateNowCliSpecs
{
    [Fact]
    public void Fetch_plan_json_stages_nothing_then_update_now_stages_and_exits_3_after_the_reboot_command()
    {
        using var medium = new CliMediumDirectory("update-now", releases: 3);
        var source = Path.Combine(Path.GetDirectoryName(medium.Medium)!, "source");
        File.AppendAllText(Path.Combine(medium.Medium, "live", "bootsafe", "config.yaml"), $"remote: {source}\n");
        var machineId = Path.Combine(Path.GetDirectoryName(medium.Medium)!, "machine-id");
        File.WriteAllText(machineId, "0123456789abcdef0123456789abcdef\n");
        var cmdline = Path.Combine(Path.GetDirectoryName(medium.Medium)!, "cmdline");
        File.WriteAllText(cmdline, "boot=live quiet");
        var before = medium.Ok("status", "--json").Stdout;

        var plan = medium.Ok("fetch", "--plan", "--json", "--cmdline", cmdline, "--machine-id-file", machineId);

        using (var json = JsonDocument.Parse(plan.Stdout))
        {
            var root = json.RootElement;
            Assert.Equal(medium.Revisions[2], root.GetProperty("candidate").GetString());
            Assert.True(root.GetProperty("kernel_changes").GetBoolean());
            Assert.True(root.GetProperty("received_objects").GetInt64() >= 0);
            var files = root.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!, f => f.GetProperty("change").GetString());
            Assert.Equal("removed", files["boot/vmlinuz-6.1.0-1"]);
            Assert.Equal("added", files["boot/vmlinuz-6.1.0-3"]);
        }

        Assert.Equal(before, medium.Ok("status", "--json").Stdout); // nothing staged

        var marker = Path.Combine(Path.GetDirectoryName(medium.Medium)!, "rebooted");
        var update = medium.Cli("update", "--now", "--cmdline", cmdline, "--machine-id-file", machineId, "--reboot-command", $"printf '%s' \"$BOOTSAFE_REASON\" > {marker}");

        Assert.True(update.ExitCode == 3, update.ToString());
        Assert.Contains("reboot requested", update.Stderr, StringComparison.Ordinal);
        Assert.Contains(medium.Revisions[2][..12], File.ReadAllText(marker), StringComparison.Ordinal);
        using var status = JsonDocument.Parse(medium.Ok("status", "--json").Stdout);
        Assert.Contains(medium.Revisions[2], status.RootElement.ToString(), StringComparison.Ordinal);
        Assert.Contains("Staged", status.RootElement.ToString(), StringComparison.Ordinal);
    }
}
