using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Bootloader.AdvFileSpecs;

/// <summary>
/// The ADV writer against the recording medium: after a power cut at any point of a write, ldlinux
/// reads either the old or the new ADV (copy 1 covers a torn copy 0), never an empty one.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class AdvPowerCutSpecs
{
    private const string Directory = "/medium/boot/extlinux";

    [HostTheory("extlinux", "mkfs.ext4")]
    [InlineData(null, "trial")]
    [InlineData("trial", null)]
    [InlineData("trial", "trial extra=1")]
    public void Every_crash_image_of_a_write_reads_as_the_old_or_the_new_adv(string? oldOnce, string? newOnce)
    {
        var storage = Medium(RealBootImage.Copy());
        var file = new ExtlinuxAdvFile(Directory, storage, FixedFileSystemProbe.Ext4);
        var old = file.Update(a => a.WithBootOnce(oldOnce));
        var next = old.WithBootOnce(newOnce);
        var seen = new List<AdvReadResult>();
        storage.AfterWrite = _ => seen.AddRange(storage.CrashImages().Select(Read));

        file.Write(next);

        Assert.NotEmpty(seen);
        Assert.All(seen, r =>
        {
            Assert.False(r.BothInvalid);
            Assert.True(r.Adv == old || r.Adv == next, $"crash image reads {r.Adv}");
        });
        Assert.Contains(seen, r => r.Adv == next && r.Copy1 == AdvCopyStatus.Valid);
        Assert.All(storage.CrashImages(), image => Assert.Equal(next, Read(image).Adv));
        Assert.Equal("good", file.Read().Adv.MenuSave);
    }

    private static RecordingMediumStorage Medium(byte[] bootImage)
    {
        var storage = new RecordingMediumStorage();
        storage.CreateDirectory(Directory);
        var path = Path.Combine(Directory, ExtlinuxAdvFile.BootImageName);
        storage.WriteNew(path, bootImage);
        storage.Sync(path);
        storage.SyncDirectory(Directory);
        return storage;
    }

    private static AdvReadResult Read(RecordingMediumStorage image) =>
        new ExtlinuxAdvFile(Directory, image, FixedFileSystemProbe.Ext4).Read();
}
