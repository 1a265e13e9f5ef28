using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.BootPath;

/// <summary>
/// dist/initramfs-tools built into a real initramfs by mkinitramfs (against the cached kernel's
/// modules): it must carry what the boot needs. The QEMU lab boots it; this checks the contents.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class InitramfsSpecs
{
    [HostFact("mkinitramfs", "cpio", "busybox")]
    public void The_initramfs_carries_the_aot_binaries_their_libraries_libfuse3_the_modules_and_the_boot_script()
    {
        _ = (AotBinary.Path, AotBinary.SelectPath); // published before the hook copies them
        var modules = Path.Combine(RepoPaths.Cache, "kernel", "modules");
        var version = Path.GetFileName(Assert.Single(Directory.GetDirectories(modules)));
        var work = Directory.CreateTempSubdirectory("bootpath-initramfs-").FullName;
        try
        {
            var image = Path.Combine(work, "initrd.img");
            var build = ProcessResult.Run(
                "bash",
                [Path.Combine(RepoPaths.Root, "Specs", "BootPath", "build-initramfs.sh"), work, AotBinary.Directory, modules, version,
                 Path.Combine(RepoPaths.Root, "dist", "initramfs-tools"), image],
                timeout: TimeSpan.FromMinutes(10));
            Assert.True(build.ExitCode == 0, build.ToString());

            var listing = ProcessResult.Run("lsinitramfs", [image]);
            Assert.True(listing.ExitCode == 0, listing.ToString());
            var files = listing.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();

            Assert.Contains("usr/lib/webc-bootsafe/webc-bootsafe", files);
            Assert.Contains("usr/lib/webc-bootsafe/webc-bootsafe-select", files);
            Assert.Contains("usr/bin/webc-bootsafe-select", files);
            Assert.Contains("usr/bin/webc-bootsafe", files);
            Assert.Contains("usr/bin/@webc-bootsafe", files);
            Assert.Contains(files, f => f.StartsWith("usr/lib/webc-bootsafe/libgit2-", StringComparison.Ordinal) && f.EndsWith(".so", StringComparison.Ordinal));
            Assert.Contains(files, f => f.EndsWith("/libfuse3.so.3", StringComparison.Ordinal));
            Assert.Contains(files, f => f.EndsWith("/libz.so.1", StringComparison.Ordinal)); // git-fs's pack reads (Git/ZlibInflater.cs)
            Assert.Contains($"usr/lib/modules/{version}/kernel/fs/fuse/fuse.ko", files);
            Assert.Contains($"usr/lib/modules/{version}/kernel/fs/overlayfs/overlay.ko", files);
            Assert.Contains("scripts/webc-bootsafe", files);
            Assert.Contains("usr/bin/busybox", files);
            foreach (var library in new[] { AotBinary.Path, AotBinary.SelectPath }.SelectMany(b => ProcessResult.Run("ldd", [b]).Stdout.Split('\n'))
                         .Select(l => l.Trim().Split(' ')[0]).Where(l => l.StartsWith("lib", StringComparison.Ordinal)))
            {
                Assert.Contains(files, f => f.EndsWith("/" + library, StringComparison.Ordinal));
            }

            // The binary inside is the one that was published, byte for byte.
            var unpacked = Path.Combine(work, "unpacked");
            var unpack = ProcessResult.Run("unmkinitramfs", [image, unpacked]);
            Assert.True(unpack.ExitCode == 0, unpack.ToString());
            Assert.Equal(File.ReadAllBytes(AotBinary.Path), File.ReadAllBytes(Path.Combine(unpacked, "usr/lib/webc-bootsafe/webc-bootsafe")));
            Assert.Equal(File.ReadAllBytes(AotBinary.SelectPath), File.ReadAllBytes(Path.Combine(unpacked, "usr/lib/webc-bootsafe/webc-bootsafe-select")));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
