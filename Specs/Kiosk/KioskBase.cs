using System.Security.Cryptography;
using Webc.BootSafe.Specs.BootPath;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Kiosk;

/// <summary>
/// The kiosk lab built once (lab/kiosk/build-base.sh): initramfs from dist/initramfs-tools, the vendor
/// repository with r1..r6 (signed with a lab-only key), and disks on known-good r1 and on known-good r2. Kept in the cache under a key of everything it
/// is made from, so a changed script, hook or binary rebuilds it and an unchanged one is reused.
/// </summary>
public static class KioskBase
{
    private static readonly Lazy<string> Built = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Directory => Built.Value;

    public static string Image => ImageOn("r1");

    /// <summary>The base disk that is Stable on <paramref name="knownGood"/> (r1 or r2).</summary>
    public static string ImageOn(string knownGood) => Path.Combine(Directory, $"base-{knownGood}.img");

    public static string Upstream => Path.Combine(Directory, "upstream.git");

    public static string Cli => AotBinary.Path;

    /// <summary>The commit of a vendor release (r1..r6).</summary>
    public static string Revision(string name) =>
        File.ReadAllLines(Path.Combine(Directory, "revisions"))
            .Select(line => line.Split('=', 2))
            .Single(pair => pair[0] == name)[1];

    private static string Build()
    {
        Assert.True(File.Exists(RepoPaths.Kernel), $"no kernel at {RepoPaths.Kernel}: run `make deps` (lab/fetch-kernel.sh)");
        var cli = AotBinary.Path;
        var directory = Path.Combine(RepoPaths.Cache, "kiosk", Key(cli));
        Run.Command(
            TimeSpan.FromMinutes(30), "bash",
            Path.Combine(RepoPaths.Root, "lab", "kiosk", "build-base.sh"), directory, AotBinary.Directory,
            RepoPaths.Kernel, Path.Combine(RepoPaths.Cache, "kernel", "modules"));
        return directory;
    }

    private static string Key(string cli)
    {
        string[] inputs =
        [
            cli, AotBinary.SelectPath, RepoPaths.Kernel,
            .. System.IO.Directory.GetFiles(Path.Combine(RepoPaths.Root, "lab", "kiosk")),
            .. System.IO.Directory.GetFiles(Path.Combine(RepoPaths.Root, "dist", "initramfs-tools"), "*", SearchOption.AllDirectories),
            Path.Combine(RepoPaths.Root, "Specs", "BootPath", "build-initramfs.sh"),
            Path.Combine(RepoPaths.Root, "lab", "make-initrd.sh"),
            Path.Combine(RepoPaths.Root, "lab", "make-extlinux-disk.sh"),
        ];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var input in inputs.Order(StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(input));
            hash.AppendData(File.ReadAllBytes(input));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
