using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Bootloader.AdvFileSpecs;

/// <summary>PosixMediumStorage.WriteInPlace on an immutable file, checked with chattr/lsattr/stat.</summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class PosixWriteInPlaceSpecs
{
    [HostFact("chattr", "lsattr")]
    public void An_immutable_file_is_written_in_place_and_stays_immutable()
    {
        using var dir = new TempDirectory("bootsafe-wip");
        var path = dir.Combine("f");
        File.WriteAllBytes(path, new byte[4096]);
        var inode = Run.Command("stat", "-c", "%i %s", path);
        Run.Command("chattr", "+i", path);
        try
        {
            new PosixMediumStorage().WriteInPlace(path, 3072, [1, 2, 3]);

            Assert.Equal(inode, Run.Command("stat", "-c", "%i %s", path));
            Assert.Contains('i', Run.Command("lsattr", "-d", path).Split(' ')[0]);
            var bytes = File.ReadAllBytes(path);
            Assert.Equal([1, 2, 3], bytes[3072..3075]);
            Assert.Equal(4096 - 3, bytes.Count(b => b == 0));
        }
        finally
        {
            Run.Try("chattr", "-i", path);
        }
    }

    [HostFact("chattr", "lsattr")]
    public void A_write_past_the_end_is_refused_and_the_flag_stays()
    {
        using var dir = new TempDirectory("bootsafe-wip");
        var path = dir.Combine("f");
        File.WriteAllBytes(path, new byte[1024]);
        Run.Command("chattr", "+i", path);
        try
        {
            Assert.Throws<IOException>(() => new PosixMediumStorage().WriteInPlace(path, 1000, new byte[100]));

            Assert.Equal(1024, new FileInfo(path).Length);
            Assert.Contains('i', Run.Command("lsattr", "-d", path).Split(' ')[0]);
        }
        finally
        {
            Run.Try("chattr", "-i", path);
        }
    }
}
