using System.Text.Json;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Bootloader.Kernels;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Specs.Storage;

/// <summary>
/// Issue 14, "one flipped byte right after a promotion", written as the fault happens: a
/// loop-mounted ext4 medium with extlinux installed (real ADV), the real `webc-bootsafe` binary
/// staging, selecting and promoting a trial, one byte of state.yaml flipped on the mounted medium,
/// then `select` of the promoted revision through label good.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class FlippedByteAfterPromotionSpecs : IDisposable
{
    private static readonly Revision Old = Revision.Parse(new string('a', 40));
    private static readonly Revision New = Revision.Parse(new string('b', 40));

    private readonly TempDirectory _dir = new("flipbyte");

    public void Dispose() => _dir.Dispose();

    private static string JitBinary => Path.Combine(RepoPaths.Root, "Cli", "bin", "Release", "net10.0", "webc-bootsafe");

    private static CommandResult Cli(params string[] args) => Run.Try(TimeSpan.FromMinutes(2), JitBinary, args);

    [HostFact]
    public void A_flipped_byte_of_state_yaml_after_mark_good_leaves_the_promoted_revision_known_good_and_default()
    {
        Directory.CreateDirectory(_dir.Combine("payload"));
        var disk = ExtlinuxDisk.Build(_dir.Combine("disk.img"), _dir.Combine("payload"), 64);
        using var mount = disk.Mount();
        var root = mount.Root;
        var layout = new MediumLayout(root);
        var storage = new PosixMediumStorage();
        Ok(Cli("init", "--medium", root, "--revision", Old.Sha));
        new KernelFiles(layout, storage).Install(Old, "kernel a"u8, "initrd a"u8);
        new ExtlinuxConfigFile(layout, storage).Write(new BootEntries(Old), new BootEntryOptions());
        File.WriteAllText(_dir.Combine("vmlinuz"), "kernel b");
        File.WriteAllText(_dir.Combine("initrd"), "initrd b");
        Ok(Cli("stage", New.Sha, "--no-verify", "--kernel", _dir.Combine("vmlinuz"), "--initrd", _dir.Combine("initrd"), "--medium", root));
        Ok(Cli("select", "--medium", root, "--cmdline", CommandLine(New, "trial")));
        Ok(Cli("mark-good", "--medium", root));
        var promoted = new YamlSlotStore(storage, layout).Load().Record;
        Assert.Equal((SlotState.Stable, New), (promoted.State, promoted.KnownGood));
        Assert.Equal(New.Sha, Default(layout, storage));

        // The fault: one byte in the middle of state.yaml flips on the medium (.prev is still Trying).
        using (var file = new FileStream(layout.StateFile, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = file.Length / 2;
            var b = file.ReadByte();
            file.Position = file.Length / 2;
            file.WriteByte((byte)(b ^ 0x20));
            file.Flush(flushToDisk: true);
        }

        Assert.Equal(SlotState.Trying, StateFileCodec.Decode(File.ReadAllBytes(layout.PreviousStateFile)).State);

        var select = Cli("select", "--medium", root, "--cmdline", CommandLine(New, "good"));

        Assert.True(select.ExitCode == 0, select.Output + select.Error);
        Assert.Equal(New.Sha, select.Output.Trim());
        Assert.Contains("rebuilt generation", select.Error, StringComparison.Ordinal);
        var after = new YamlSlotStore(storage, layout).Load();
        Assert.Null(after.Recovery); // select committed a readable record again
        Assert.Equal(New, after.Record.KnownGood);
        Assert.Equal(SlotState.Stable, after.Record.State);
        Assert.False(after.Record.HasFailed(New), "the promoted revision was recorded as failed");
        Assert.Equal(New.Sha, Default(layout, storage));
        var verify = Cli("history", "--verify", "--medium", root);
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);

        // status says the failed set never changed (no line), and --json carries no change either.
        var status = Cli("status", "--json", "--medium", root);
        Assert.True(status.ExitCode == 0, status.Error);
        using var json = JsonDocument.Parse(status.Output);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("failed_set_changed").ValueKind);
    }

    private static void Ok(CommandResult result) => Assert.True(result.ExitCode == 0, result.Output + result.Error);

    private static string? Default(MediumLayout layout, IMediumStorage storage)
    {
        var config = new ExtlinuxConfigFile(layout, storage).Read();
        return config.Default is { } name ? config.Find(name)?.RevisionText : null;
    }

    private string CommandLine(Revision revision, string slot)
    {
        var path = _dir.Combine($"cmdline-{slot}-{revision.Short}");
        File.WriteAllText(path, $"BOOT_IMAGE=/live/vmlinuz-{revision.Sha} boot=webc-bootsafe git-revision={revision.Sha} bootsafe.slot={slot} quiet\n");
        return path;
    }
}
