using System.Text;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Bootloader.Kernels;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Bootloader;

public sealed class KernelFilesSpecs
{
    private static readonly MediumLayout Layout = new("/medium");

    [Fact]
    public void Install_is_crash_safe_and_idempotent_and_never_overwrites()
    {
        var storage = new RecordingMediumStorage();
        var ops = new List<string>();
        storage.AfterWrite = ops.Add;
        var files = new KernelFiles(Layout, storage);
        var rev = Revisions.Of(1);

        files.Install(rev, "K1"u8, "I1"u8);
        Assert.True(files.Exist(rev));
        Assert.Equal("K1", Encoding.ASCII.GetString(storage.ReadAllBytes(Layout.KernelFile(rev))));
        var kernelOps = ops.Where(o => o.Contains("vmlinuz", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["write /medium/live/.vmlinuz-" + rev.Sha + ".tmp (2 bytes)", "fsync /medium/live/.vmlinuz-" + rev.Sha + ".tmp", $"rename /medium/live/.vmlinuz-{rev.Sha}.tmp -> /medium/live/vmlinuz-{rev.Sha}"],
            kernelOps);

        ops.Clear();
        files.Install(rev, "K1"u8, "I1"u8);
        Assert.Empty(ops);

        Assert.Throws<OperationFailedException>(() => files.Install(rev, "K2"u8, "I1"u8));
        Assert.Equal("K1", Encoding.ASCII.GetString(storage.ReadAllBytes(Layout.KernelFile(rev))));
    }

    [Fact]
    public void Prune_removes_only_files_no_label_names_and_leftover_temp_files()
    {
        var storage = new RecordingMediumStorage();
        var files = new KernelFiles(Layout, storage);
        foreach (var n in new[] { 1, 2, 3, 4 })
        {
            files.Install(Revisions.Of(n), "K"u8, "I"u8);
        }

        storage.WriteNew($"/medium/live/.initrd-{Revisions.Of(5).Sha}.tmp", "half"u8);
        storage.WriteNew("/medium/live/webc-cmdline", "x"u8);
        var text = ExtlinuxConfigDocument.Empty.With(new BootEntries(Revisions.Of(1), Revisions.Of(2)), new BootEntryOptions()).Render()
                   + $"LABEL mine\n  LINUX /live/vmlinuz-{Revisions.Of(3).Sha}\n  INITRD /live/initrd-{Revisions.Of(3).Sha}\n";

        var removed = files.Prune(SyslinuxConfigParser.Parse(text));

        Assert.Equal(
            new[] { $".initrd-{Revisions.Of(5).Sha}.tmp", $"initrd-{Revisions.Of(4).Sha}", $"vmlinuz-{Revisions.Of(4).Sha}" }.Order(),
            removed.Order());
        Assert.True(files.Exist(Revisions.Of(1)) && files.Exist(Revisions.Of(2)) && files.Exist(Revisions.Of(3)));
        Assert.True(storage.FileExists("/medium/live/webc-cmdline"));
    }
}
