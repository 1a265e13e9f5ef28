using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Provision;

public enum TargetKind
{
    ImageFile,
    BlockDevice,
}

/// <summary>
/// Where the medium is made: an image file (created or grown to the size asked for) or a whole
/// block device (used at its own size). <see cref="KernelName"/> is the device's, null for a file.
/// </summary>
public sealed record InstallTarget(string Path, TargetKind Kind, string? KernelName, bool Existed, long ExistingBytes)
{
    public static InstallTarget Inspect(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new BadInputException("--target is required (a block device such as /dev/sdb, or an image file such as /tmp/webc.img)");
        }

        var full = System.IO.Path.GetFullPath(path);
        if (BlockDevices.KernelName(full) is { } name)
        {
            if (BlockDevices.IsPartition(name))
            {
                throw new BadInputException(
                    $"--target {path} is partition {name} of disk {BlockDevices.Disk(name)}; give the whole disk (/dev/{BlockDevices.Disk(name)}): the installer writes its own partition table");
            }

            return new InstallTarget(full, TargetKind.BlockDevice, name, true, BlockDevices.SizeBytes(name));
        }

        if (BlockDevices.RealPath(full).StartsWith("/dev/", StringComparison.Ordinal) || full.StartsWith("/proc/", StringComparison.Ordinal)
            || full.StartsWith("/sys/", StringComparison.Ordinal))
        {
            throw new BadInputException($"--target {path} is neither a block device nor an image file path");
        }

        if (Directory.Exists(full))
        {
            throw new BadInputException($"--target {path} is a directory; give an image file path or a block device");
        }

        var parent = System.IO.Path.GetDirectoryName(full)!;
        if (!Directory.Exists(parent))
        {
            throw new BadInputException($"--target {path}: directory {parent} does not exist");
        }

        var existed = File.Exists(full);
        return new InstallTarget(full, TargetKind.ImageFile, null, existed, existed ? new FileInfo(full).Length : 0);
    }

    public string Describe() => Kind == TargetKind.BlockDevice
        ? $"block device {Path} ({KernelName}, {ByteSize.Format(ExistingBytes)})"
        : Existed ? $"existing image file {Path} ({ByteSize.Format(ExistingBytes)})" : $"new image file {Path}";
}
