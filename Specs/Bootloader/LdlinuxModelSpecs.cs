using System.Text;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Bootloader.Simulation;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Bootloader;

/// <summary>The ldlinux model against the facts of docs/reference extlinux-boot-once (each one seen on a real boot there).</summary>
public sealed class LdlinuxModelSpecs
{
    private static readonly MediumLayout Layout = new("/medium");

    private static readonly string Config = """
        DEFAULT A
        TIMEOUT {0}
        LABEL A
          LINUX /boot/vmlinuz
          INITRD /boot/initrd-a
          APPEND console=ttyS0 panic=1
        LABEL B
          LINUX /boot/vmlinuz
          INITRD /boot/initrd-b
          APPEND console=ttyS0 panic=1
        """;

    [Fact]
    public void Boot_once_boots_its_label_once_and_is_removed_before_the_kernel_loads()
    {
        var storage = Medium(timeout: 20, once: "B");
        var ldlinux = new Ldlinux(Layout, storage);

        var first = ldlinux.Boot();
        var second = ldlinux.Boot();

        Assert.Equal(("B", true), (first.Label, first.ViaBootOnce));
        Assert.Null(new ExtlinuxAdvFile(Layout.ExtlinuxDirectory, storage, FixedFileSystemProbe.Ext4).Read().Adv.BootOnce);
        Assert.Equal(("A", false), (second.Label, second.ViaBootOnce));
    }

    [Fact]
    public void The_words_after_the_once_label_are_appended_to_its_append() =>
        Assert.Equal("console=ttyS0 panic=1 extra=1", new Ldlinux(Layout, Medium(20, "B extra=1")).Boot().CommandLine);

    [Fact]
    public void A_missing_once_label_falls_back_to_default_when_timeout_is_positive() =>
        Assert.Equal("A", new Ldlinux(Layout, Medium(20, "NOPE")).Boot().Label);

    [Fact]
    public void A_missing_once_label_waits_at_the_prompt_forever_when_timeout_is_0() =>
        Assert.True(new Ldlinux(Layout, Medium(0, "NOPE")).Boot().Hung);

    [Fact]
    public void A_failed_boot_time_adv_write_repeats_the_once_entry()
    {
        var ldlinux = new Ldlinux(Layout, Medium(20, "B"));

        Assert.Equal("B", ldlinux.Boot(new BootFaults(AdvWriteFails: true)).Label);
        Assert.Equal("B", ldlinux.Boot(new BootFaults(AdvWriteFails: true)).Label);
        Assert.Equal("B", ldlinux.Boot().Label);
        Assert.Equal("A", ldlinux.Boot().Label);
    }

    [Fact]
    public void A_torn_copy_0_is_skipped_and_copy_1_keeps_the_once_entry()
    {
        // A power cut in the middle of copy 0's sector (as the reference lab reproduces by corrupting it).
        var storage = Medium(20, "B");
        var image = Path.Combine(Layout.ExtlinuxDirectory, "ldlinux.sys");
        storage.WriteInPlace(image, storage.Length(image) - AdvCodec.Size + 20, [0xff]);
        storage.Sync(image);

        var choice = new Ldlinux(Layout, storage).Boot();

        Assert.Equal(("B", true), (choice.Label, choice.ViaBootOnce));
        Assert.Contains(choice.Steps, s => s.Contains("copy 1", StringComparison.Ordinal));
        Assert.Equal("A", new Ldlinux(Layout, storage).Boot().Label); // the write-back repaired both copies
    }

    [Fact]
    public void A_label_whose_kernel_is_missing_runs_onerror()
    {
        var storage = Medium(20, "B", onError: "A");
        storage.Delete("/medium/boot/initrd-b");

        var choice = new Ldlinux(Layout, storage).Boot();

        Assert.Equal("A", choice.Label);
        Assert.Contains(choice.Steps, s => s.StartsWith("ONERROR", StringComparison.Ordinal));
    }

    private static IMediumStorage Medium(int timeout, string? once, string? onError = null)
    {
        var storage = new RecordingMediumStorage();
        storage.CreateDirectory(Layout.ExtlinuxDirectory);
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, Config, timeout) + (onError is null ? string.Empty : $"\nONERROR {onError}\n");
        storage.ReplaceAtomically(Layout.ExtlinuxConfig, Encoding.UTF8.GetBytes(text));
        foreach (var f in new[] { "vmlinuz", "initrd-a", "initrd-b" })
        {
            storage.ReplaceAtomically("/medium/boot/" + f, "x"u8);
        }

        storage.ReplaceAtomically(Path.Combine(Layout.ExtlinuxDirectory, "ldlinux.sys"), FakeBootImage.Create());
        if (once is not null)
        {
            new ExtlinuxAdvFile(Layout.ExtlinuxDirectory, storage, FixedFileSystemProbe.Ext4).Write(Webc.BootSafe.Bootloader.Adv.Adv.Empty.WithBootOnce(once));
        }

        return storage;
    }
}
