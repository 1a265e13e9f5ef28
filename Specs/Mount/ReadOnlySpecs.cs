using Webc.BootSafe.Specs.Mount.Support;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Mount;

/// <summary>Writes fail with EROFS; statfs reports a read-only filesystem with sensible figures.</summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class ReadOnlySpecs
{
    private static OracleRepo Repo => OracleRepo.Shared;

    [HostFact("fusermount3")]
    public void Every_kind_of_write_fails_with_erofs()
    {
        using var mounted = new MountedCommit(Repo.Packed, Repo.First);
        var attempts = new (string What, string[] Command)[]
        {
            ("write", ["sh", "-c", $"echo x > '{mounted.PathOf("bin/data")}'"]),
            ("create", ["touch", mounted.PathOf("new-file")]),
            ("mkdir", ["mkdir", mounted.PathOf("new-dir")]),
            ("unlink", ["rm", "-f", mounted.PathOf("bin/data")]),
            ("rename", ["mv", mounted.PathOf("bin/data"), mounted.PathOf("bin/moved")]),
            ("chmod", ["chmod", "777", mounted.PathOf("bin/data")]),
            ("symlink", ["ln", "-s", "x", mounted.PathOf("bin/link")]),
        };
        foreach (var (what, command) in attempts)
        {
            var result = Shell.Try(command[0], command[1..]);
            Assert.True(result.ExitCode != 0, $"{what} succeeded");
            Assert.Contains("Read-only file system", result.Stderr);
        }

        Assert.Equal("not executable\n", File.ReadAllText(mounted.PathOf("bin/data")));
    }

    [HostFact("fusermount3")]
    public void Statfs_reports_read_only_with_block_and_file_counts()
    {
        using var mounted = new MountedCommit(Repo.Packed, Repo.First);
        var fields = Shell.Run("stat", "-f", "-c", "%S %b %c %l %T", mounted.Root).Trim().Split(' ');
        Assert.Equal("4096", fields[0]);
        Assert.True(long.Parse(fields[1]) > OracleRepo.LargeBytes / 4096, "blocks cover the pack");
        Assert.True(long.Parse(fields[2]) > OracleRepo.ManyFiles, "files count the objects");
        Assert.Equal("255", fields[3]);
        Assert.Contains(" ro,", " " + Shell.Run("findmnt", "-n", "-o", "OPTIONS", mounted.Root).Trim() + ",");
    }
}
