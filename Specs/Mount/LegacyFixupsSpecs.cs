using Webc.BootSafe.Mount.Fixups;
using Webc.BootSafe.Specs.Mount.Support;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Specs.Mount;

/// <summary>`fixups --legacy ROOT` runs .git-fixups/* in a real chroot of ROOT (busybox as its shell).</summary>
public sealed class LegacyFixupsSpecs
{
    // chroot needs root, and the chroot's shell is busybox from `make deps`.
    [Trait(Tier.Name, Tier.Host)]
    [HostFact("busybox")]
    public void Scripts_run_in_name_order_inside_the_chroot_and_failures_are_reported()
    {
        using var dir = new TempDirectory("gitfs-spec");
        var root = dir.Sub("root");
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        File.Copy("/bin/busybox", Path.Combine(root, "bin", "busybox"));
        File.CreateSymbolicLink(Path.Combine(root, "bin", "sh"), "busybox");
        var fixups = Directory.CreateDirectory(Path.Combine(root, ".git-fixups")).FullName;
        Script(fixups, "20-second", "#!/bin/sh\n/bin/busybox echo second >> /order\n");
        Script(fixups, "10-first", "#!/bin/sh\n/bin/busybox echo first >> /order\n[ -d /.git-fixups ] || exit 3\n");
        var log = new StringWriter();

        var results = LegacyFixups.Run(root, log);

        Assert.Equal(["10-first", "20-second"], results.Select(r => r.Name));
        Assert.Equal("first\nsecond\n", File.ReadAllText(Path.Combine(root, "order")));

        Script(fixups, "15-fails", "#!/bin/sh\nexit 7\n");
        var e = Assert.Throws<OperationFailedException>(() => LegacyFixups.Run(root, log));
        Assert.Contains("15-fails (exit 7)", e.Message);
        Assert.Equal("first\nsecond\nfirst\nsecond\n", File.ReadAllText(Path.Combine(root, "order")));
    }

    [Fact]
    public void A_root_without_fixups_is_bad_input()
    {
        using var dir = new TempDirectory("gitfs-spec");
        var e = Assert.Throws<BadInputException>(() => LegacyFixups.Run(dir.Path, TextWriter.Null));
        Assert.Contains(".git-fixups", e.Message);
    }

    private static void Script(string dir, string name, string body)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, body);
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0x1ED);
        }
    }
}
