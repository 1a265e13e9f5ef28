using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Provision;

/// <summary>The raw steps that make a disk (image file or device) bootable by syslinux's MBR code.</summary>
public static class DiskImage
{
    public const string MbrCode = "/usr/lib/syslinux/mbr/mbr.bin";

    /// <summary>The MBR's boot code area; the disk signature and partition table follow it.</summary>
    public const int BootCodeLength = 440;

    /// <summary>Creates the file, or grows it (sparse) to <paramref name="bytes"/>; never shrinks it.</summary>
    public static void CreateOrGrow(string path, long bytes)
    {
        using var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        if (file.Length < bytes)
        {
            file.SetLength(bytes);
        }

        file.Flush(flushToDisk: true);
    }

    /// <summary>One primary partition from sector 2048 to the end, type 83 (Linux), bootable; old signatures wiped.</summary>
    public static void WritePartitionTable(string disk) =>
        ExternalTool.Run("sfdisk", ["--quiet", "--wipe", "always", "--no-reread", "--no-tell-kernel", disk],
            stdin: "label: dos\nstart=2048, type=83, bootable\n");

    /// <summary>syslinux's MBR code, which chain-loads the bootable partition's boot sector.</summary>
    public static void WriteBootCode(string disk)
    {
        if (!File.Exists(MbrCode))
        {
            throw new OperationFailedException($"{MbrCode} is missing (install the syslinux-common package)");
        }

        var code = File.ReadAllBytes(MbrCode);
        if (code.Length < BootCodeLength)
        {
            throw new OperationFailedException($"{MbrCode} holds {code.Length} bytes, expected at least {BootCodeLength}");
        }

        using var target = new FileStream(disk, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        target.Write(code, 0, BootCodeLength);
        target.Flush(flushToDisk: true);
    }

    /// <summary>ext4 that syslinux 6.04 boots: without inline_data (it hangs after the banner otherwise), 4 KiB blocks, no root reserve.</summary>
    public static void FormatExt4(string partition, string label) =>
        ExternalTool.Run("mkfs.ext4", ["-q", "-F", "-T", "default", "-m", "0", "-O", "^inline_data", "-L", label, partition]);

    /// <summary>The real extlinux installer: boot sector, ldlinux.sys (with its ADV) and ldlinux.c32.</summary>
    public static void InstallExtlinux(string directory)
    {
        Directory.CreateDirectory(directory);
        ExternalTool.Run("extlinux", ["--install", directory]);
    }
}
