using System.Security.Cryptography;
using System.Text;
using Webc.BootSafe.Specs.BootPath;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Packaging;

/// <summary>
/// A fresh Debian root made with <c>mmdebstrap --variant=minbase</c> from the Debian sources this
/// machine's apt uses, with systemd as init and initramfs-tools plus a kernel (so the package's
/// maintainer scripts and its update-initramfs trigger really run), and the package's own
/// dependencies (so installing it needs no download). The tarball is cached under
/// $BOOTSAFE_CACHE (else /tmp), keyed by the suite, the package list and the sources.
/// </summary>
public static class MinimalDebianRoot
{
    // One root for every spec that needs one (the package's install, commit-root's Debian check, S6):
    // mmdebstrap takes minutes, so the package's dependencies and what S6's kiosk adds (sudo) are in
    // every build, and callers' extra packages change the cache key only when they add something new.
    private static readonly string[] Base =
    [
        "systemd-sysv", "initramfs-tools", "linux-image-cloud-amd64",
        "sudo", "fuse3", "libfuse3-3", "libssl3", "zlib1g", "busybox",
    ];

    public static string Tarball(IEnumerable<string> extraPackages)
    {
        var packages = Base.Concat(extraPackages).Where(p => p != "libc6").Distinct().Order(StringComparer.Ordinal).ToList();
        var suite = Suite();
        var sources = DebianSources();
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            suite + "\n" + string.Join(',', packages) + "\n" + string.Join("\n", sources.Select(File.ReadAllText)))))[..16].ToLowerInvariant();
        var directory = Environment.GetEnvironmentVariable("BOOTSAFE_CACHE") is { Length: > 0 } c ? c : Path.GetTempPath();
        Directory.CreateDirectory(directory);
        var tarball = Path.Combine(directory, $"debian-{suite}-minbase-{key}.tar");
        if (File.Exists(tarball))
        {
            return tarball;
        }

        var partial = tarball + $".{Environment.ProcessId}.tmp.tar";
        try
        {
            var result = ProcessResult.Run(
                "mmdebstrap",
                ["--variant=minbase", "--include=" + string.Join(',', packages), suite, partial, .. sources],
                timeout: TimeSpan.FromMinutes(30));
            Assert.True(result.ExitCode == 0, "mmdebstrap: " + result);
            File.Move(partial, tarball, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }

        return tarball;
    }

    private static string Suite()
    {
        var codename = File.ReadAllLines("/etc/os-release")
            .Select(l => l.Split('=', 2))
            .Where(kv => kv.Length == 2 && kv[0] == "VERSION_CODENAME")
            .Select(kv => kv[1].Trim('"'))
            .FirstOrDefault();
        return codename is { Length: > 0 } ? codename : "bookworm";
    }

    /// <summary>The enabled apt source files that name a Debian archive (mmdebstrap pastes each into the root).</summary>
    private static List<string> DebianSources()
    {
        var candidates = new List<string> { "/etc/apt/sources.list" };
        if (Directory.Exists("/etc/apt/sources.list.d"))
        {
            candidates.AddRange(Directory.EnumerateFiles("/etc/apt/sources.list.d")
                .Where(f => f.EndsWith(".list", StringComparison.Ordinal) || f.EndsWith(".sources", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal));
        }

        var sources = candidates
            .Where(File.Exists)
            .Where(f => File.ReadLines(f).Any(l => !l.TrimStart().StartsWith('#') && l.Contains("/debian", StringComparison.Ordinal)))
            .ToList();
        Assert.True(sources.Count > 0, "no Debian source in /etc/apt/sources.list(.d)");
        return sources;
    }
}
