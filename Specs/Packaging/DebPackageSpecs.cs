using System.Text.RegularExpressions;
using Webc.BootSafe.Specs.BootPath;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Packaging;

/// <summary>
/// The Debian package as an image builder uses it: built by dist/debian/build-deb (what
/// <c>make deb</c> runs), clean for lintian, with every file at its Debian path, and installed with
/// <c>apt install ./webc-bootsafe_*.deb</c> into a fresh minbase root where its maintainer scripts
/// enable the units and its trigger rebuilds the initramfs with the hook.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed partial class DebPackageSpecs
{
    /// <summary>Every file and link of the package; libgit2's name carries its build hash.</summary>
    private static readonly string[] ExpectedFiles =
    [
        "etc/default/webc-bootsafe",
        "lib/systemd/system/webc-bootsafe-check.service",
        "lib/systemd/system/webc-bootsafe-confirm.service",
        "lib/systemd/system/webc-bootsafe-fetch.service",
        "lib/systemd/system/webc-bootsafe-fetch.timer",
        "lib/systemd/system/webc-bootsafe-rollback.service",
        "lib/systemd/system/webc-bootsafe-trial-deadline.service",
        "usr/bin/webc-bootsafe -> ../lib/webc-bootsafe/webc-bootsafe",
        "usr/lib/webc-bootsafe/libgit2-*.so",
        "usr/lib/webc-bootsafe/libsodium.so",
        "usr/lib/systemd/system.conf.d/60-webc-bootsafe-watchdog.conf",
        "usr/lib/webc-bootsafe/reboot-policy",
        "usr/lib/webc-bootsafe/trial-deadline",
        "usr/lib/webc-bootsafe/webc-bootsafe",
        "usr/lib/webc-bootsafe/webc-bootsafe-select",
        "usr/share/bash-completion/completions/webc-bootsafe",
        "usr/share/doc/webc-bootsafe/changelog.Debian.gz",
        "usr/share/doc/webc-bootsafe/copyright",
        "usr/share/doc/webc-bootsafe/integration-guide.md",
        "usr/share/initramfs-tools/conf-hooks.d/webc-bootsafe",
        "usr/share/initramfs-tools/hooks/webc-bootsafe",
        "usr/share/initramfs-tools/scripts/webc-bootsafe",
        "usr/share/lintian/overrides/webc-bootsafe",
        "usr/share/man/man8/webc-bootsafe.8.gz",
    ];

    [HostFact]
    public void Lintian_reports_no_errors_or_warnings()
    {
        var result = ProcessResult.Run("lintian", ["--fail-on", "error,warning", DebPackage.Path], timeout: TimeSpan.FromMinutes(10));

        var tags = result.Stdout.Split('\n').Where(l => l.StartsWith("E:", StringComparison.Ordinal) || l.StartsWith("W:", StringComparison.Ordinal)).ToList();
        Assert.True(tags.Count == 0, "lintian:\n" + string.Join('\n', tags));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [HostFact]
    public void The_package_holds_each_file_at_its_Debian_path_with_its_mode()
    {
        var result = ProcessResult.Run("dpkg-deb", ["-c", DebPackage.Path]);
        Assert.True(result.ExitCode == 0, result.ToString());

        // "-rwxr-xr-x root/root 2090 2026-12-02 12:00 ./usr/share/initramfs-tools/hooks/webc-bootsafe"
        var entries = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => ListingLine().Match(l))
            .Where(m => m.Success && m.Groups["mode"].Value[0] != 'd')
            .ToDictionary(m => LibgitHash().Replace(m.Groups["path"].Value, "libgit2-*.so"), m => (Mode: m.Groups["mode"].Value, Owner: m.Groups["owner"].Value));

        Assert.Equal(ExpectedFiles.Order(StringComparer.Ordinal), entries.Keys.Order(StringComparer.Ordinal));
        Assert.All(entries.Values, e => Assert.Equal("root/root", e.Owner));
        Assert.Equal("-rwxr-xr-x", entries["usr/lib/webc-bootsafe/webc-bootsafe"].Mode);
        Assert.Equal("-rwxr-xr-x", entries["usr/lib/webc-bootsafe/webc-bootsafe-select"].Mode);
        Assert.Equal("-rwxr-xr-x", entries["usr/lib/webc-bootsafe/reboot-policy"].Mode);
        Assert.Equal("-rwxr-xr-x", entries["usr/lib/webc-bootsafe/trial-deadline"].Mode);
        Assert.Equal("-rwxr-xr-x", entries["usr/share/initramfs-tools/hooks/webc-bootsafe"].Mode);
        Assert.Equal("-rw-r--r--", entries["usr/share/initramfs-tools/scripts/webc-bootsafe"].Mode);
        Assert.Equal("-rw-r--r--", entries["usr/lib/webc-bootsafe/libsodium.so"].Mode);
        Assert.Equal("-rw-r--r--", entries["lib/systemd/system/webc-bootsafe-confirm.service"].Mode);

        var conffiles = ProcessResult.Run("dpkg-deb", ["--info", DebPackage.Path, "conffiles"]);
        Assert.True(conffiles.ExitCode == 0, conffiles.ToString());
        Assert.Equal("/etc/default/webc-bootsafe", conffiles.Stdout.Trim());
    }

    [HostFact]
    public void The_version_is_the_changelogs()
    {
        var changelog = Path.Combine(RepoPaths.Root, "dist", "debian", "changelog");
        var expected = ProcessResult.Run("dpkg-parsechangelog", ["-l", changelog, "-S", "Version"]).Stdout.Trim();

        Assert.Equal(expected, ProcessResult.Run("dpkg-deb", ["-f", DebPackage.Path, "Version"]).Stdout.Trim());
        Assert.Equal($"webc-bootsafe_{expected}_amd64.deb", Path.GetFileName(DebPackage.Path));
    }

    [HostFact]
    public void Apt_installs_it_into_a_fresh_Debian_root_where_it_runs_enables_its_units_and_joins_the_initramfs()
    {
        using var root = InstalledRoot.Create();

        var version = root.Chroot(["/usr/bin/webc-bootsafe", "--version"]);
        Assert.True(version.ExitCode == 0 && version.Stdout.Trim().Length > 0, version.ToString());

        string[] enabled =
        [
            "etc/systemd/system/multi-user.target.wants/webc-bootsafe-check.service",
            "etc/systemd/system/boot-complete.target.requires/webc-bootsafe-check.service",
            "etc/systemd/system/multi-user.target.wants/webc-bootsafe-confirm.service",
            "etc/systemd/system/sysinit.target.wants/webc-bootsafe-trial-deadline.service",
            "etc/systemd/system/timers.target.wants/webc-bootsafe-fetch.timer",
        ];
        foreach (var link in enabled)
        {
            var target = new FileInfo(root.Combine(link)).LinkTarget;
            Assert.True(target is not null, $"{link} is not a symlink: the unit is not enabled");
            Assert.Equal("/lib/systemd/system/" + Path.GetFileName(link), target);
        }

        // The trigger ran update-initramfs with the hook: the initrd carries the packaged binary.
        var initrd = Directory.GetFiles(root.Combine("boot"), "initrd.img-*").Single();
        var listing = root.Chroot(["lsinitramfs", "/boot/" + Path.GetFileName(initrd)]);
        Assert.True(listing.ExitCode == 0, listing.ToString());
        var files = listing.Stdout.Split('\n');
        Assert.Contains("usr/lib/webc-bootsafe/webc-bootsafe", files);
        Assert.Contains("usr/bin/@webc-bootsafe", files);
        Assert.Contains("scripts/webc-bootsafe", files);
        Assert.Contains(files, f => LibgitHash().IsMatch(f) && f.StartsWith("usr/lib/webc-bootsafe/", StringComparison.Ordinal));

        // Removal masks the units (as dh_installsystemd's postrm does), keeps the conffile and
        // rebuilds the initramfs without the hook; purge forgets all of it.
        var remove = root.Chroot(["apt-get", "remove", "-y", "webc-bootsafe"], TimeSpan.FromMinutes(20));
        Assert.True(remove.ExitCode == 0, "apt remove: " + remove);
        Assert.False(File.Exists(root.Combine("usr/lib/webc-bootsafe/webc-bootsafe")));
        Assert.True(File.Exists(root.Combine("etc/default/webc-bootsafe")));
        Assert.Equal("/dev/null", new FileInfo(root.Combine("etc/systemd/system/webc-bootsafe-confirm.service")).LinkTarget);
        var after = root.Chroot(["lsinitramfs", "/boot/" + Path.GetFileName(initrd)]);
        Assert.DoesNotContain(after.Stdout.Split('\n'), f => f.Contains("webc-bootsafe", StringComparison.Ordinal));

        var purge = root.Chroot(["apt-get", "purge", "-y", "webc-bootsafe"], TimeSpan.FromMinutes(5));
        Assert.True(purge.ExitCode == 0, "apt purge: " + purge);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root.Combine("etc"), "*webc-bootsafe*", SearchOption.AllDirectories));
    }

    [GeneratedRegex(@"^(?<mode>\S+)\s+(?<owner>\S+)\s+\d+\s+\S+\s+\S+\s+\./(?<path>.*)$")]
    private static partial Regex ListingLine();

    [GeneratedRegex(@"libgit2-[0-9a-f]+\.so")]
    private static partial Regex LibgitHash();
}
