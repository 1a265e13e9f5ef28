using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.Provision;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Specs.Install;

/// <summary>The pure parts of the installer: sizes, the file system estimate, mountinfo.</summary>
public sealed class InstallPlanningProperties
{
    [Property(MaxTest = 300)]
    public bool Sizes_with_a_unit_are_powers_of_1024(PositiveInt n, bool lower)
    {
        var value = n.Get % 100_000 + 1;
        var units = lower ? "kmgt" : "KMGT";
        return Enumerable.Range(0, 4).All(i => ByteSize.Parse($"{value}{units[i]}", "--size") == (long)value << (10 * (i + 1)))
            && ByteSize.Parse(value.ToString(System.Globalization.CultureInfo.InvariantCulture), "--size") == value;
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-5M")]
    [InlineData("1.5G")]
    [InlineData("12Q")]
    [InlineData("99999999999T")]
    public void Sizes_that_are_not_sizes_are_bad_input(string text) =>
        Assert.Contains("--size", Assert.Throws<BadInputException>(() => ByteSize.Parse(text, "--size")).Message);

    [Property(MaxTest = 300)]
    public bool File_system_overhead_grows_with_the_partition_and_leaves_most_of_it(PositiveInt a, PositiveInt b)
    {
        var small = (long)Math.Min(a.Get, b.Get) % 65536 * ByteSize.MiB + 16 * ByteSize.MiB;
        var large = (long)Math.Max(a.Get, b.Get) % 65536 * ByteSize.MiB + 16 * ByteSize.MiB;
        (small, large) = (Math.Min(small, large), Math.Max(small, large));
        return FileSystemOverhead.Bytes(small) <= FileSystemOverhead.Bytes(large)
            && (large < 64 * ByteSize.MiB || FileSystemOverhead.Bytes(large) < large / 2);
    }

    [Fact]
    public void Mountinfo_lines_give_the_device_number_mount_point_and_source()
    {
        var mounts = MountTable.Parse(
            "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n" +
            "40 22 7:3 / /mnt/with\\040space rw - ext4 /dev/loop3 rw\n" +
            "41 22 0:45 / /mnt/with/more rw shared:2 master:3 - tmpfs tmpfs rw\n");

        Assert.Equal(3, mounts.Count);
        Assert.Equal(new MountEntry("8:1", "/", "ext4", "/dev/sda1"), mounts[0]);
        Assert.Equal("/mnt/with space", mounts[1].MountPoint);
        Assert.Equal("tmpfs", mounts[2].FileSystem);
        Assert.Equal("/", MountTable.Holding(mounts, "/etc/passwd")!.MountPoint);
        Assert.Equal("/mnt/with/more", MountTable.Holding(mounts, "/mnt/with/more/x")!.MountPoint);
    }
}
