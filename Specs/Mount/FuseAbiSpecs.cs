using System.Runtime.InteropServices;
using Webc.BootSafe.Mount.Fuse;
using Webc.BootSafe.Specs.Mount.Support;

namespace Webc.BootSafe.Specs.Mount;

/// <summary>
/// Our C struct mirrors must match the installed headers byte for byte: a C program compiled
/// against them prints sizes and offsets (and the keep_cache bit), and every figure is compared.
/// </summary>
[Trait(Tier.Name, Tier.Host)]
public sealed class FuseAbiSpecs
{
    private static readonly Lazy<Dictionary<string, long>> Native = new(CompileAndRun);

    [HostTheory("gcc", "pkg-config", Root = false)]
    [InlineData("stat", typeof(Stat))]
    [InlineData("statvfs", typeof(StatVfs))]
    [InlineData("fuse_file_info", typeof(FuseFileInfo))]
    [InlineData("fuse_entry_param", typeof(FuseEntryParam))]
    [InlineData("fuse_args", typeof(FuseArgs))]
    [InlineData("fuse_lowlevel_ops", typeof(FuseLowLevelOperations))]
    [InlineData("fuse_conn_info", typeof(FuseConnectionInfo))]
    public void Struct_sizes_match_the_headers(string cName, Type managed) =>
        Assert.Equal(Native.Value[cName], Marshal.SizeOf(managed));

    public static TheoryData<string, Type, string> Fields => new()
    {
        { "stat.st_ino", typeof(Stat), nameof(Stat.Ino) },
        { "stat.st_nlink", typeof(Stat), nameof(Stat.NLink) },
        { "stat.st_mode", typeof(Stat), nameof(Stat.Mode) },
        { "stat.st_uid", typeof(Stat), nameof(Stat.Uid) },
        { "stat.st_gid", typeof(Stat), nameof(Stat.Gid) },
        { "stat.st_size", typeof(Stat), nameof(Stat.Size) },
        { "stat.st_blksize", typeof(Stat), nameof(Stat.BlkSize) },
        { "stat.st_blocks", typeof(Stat), nameof(Stat.Blocks) },
        { "stat.st_atim", typeof(Stat), nameof(Stat.ATimeSec) },
        { "stat.st_mtim", typeof(Stat), nameof(Stat.MTimeSec) },
        { "stat.st_ctim", typeof(Stat), nameof(Stat.CTimeSec) },
        { "statvfs.f_bsize", typeof(StatVfs), nameof(StatVfs.BSize) },
        { "statvfs.f_frsize", typeof(StatVfs), nameof(StatVfs.FrSize) },
        { "statvfs.f_blocks", typeof(StatVfs), nameof(StatVfs.Blocks) },
        { "statvfs.f_files", typeof(StatVfs), nameof(StatVfs.Files) },
        { "statvfs.f_flag", typeof(StatVfs), nameof(StatVfs.Flag) },
        { "statvfs.f_namemax", typeof(StatVfs), nameof(StatVfs.NameMax) },
        { "fuse_file_info.flags", typeof(FuseFileInfo), nameof(FuseFileInfo.Flags) },
        { "fuse_file_info.fh", typeof(FuseFileInfo), nameof(FuseFileInfo.Fh) },
        { "fuse_entry_param.ino", typeof(FuseEntryParam), nameof(FuseEntryParam.Ino) },
        { "fuse_entry_param.generation", typeof(FuseEntryParam), nameof(FuseEntryParam.Generation) },
        { "fuse_entry_param.attr", typeof(FuseEntryParam), nameof(FuseEntryParam.Attr) },
        { "fuse_entry_param.attr_timeout", typeof(FuseEntryParam), nameof(FuseEntryParam.AttrTimeout) },
        { "fuse_entry_param.entry_timeout", typeof(FuseEntryParam), nameof(FuseEntryParam.EntryTimeout) },
        { "fuse_args.argv", typeof(FuseArgs), nameof(FuseArgs.Argv) },
        { "fuse_args.allocated", typeof(FuseArgs), nameof(FuseArgs.Allocated) },
        { "fuse_conn_info.max_write", typeof(FuseConnectionInfo), nameof(FuseConnectionInfo.MaxWrite) },
        { "fuse_conn_info.max_read", typeof(FuseConnectionInfo), nameof(FuseConnectionInfo.MaxRead) },
        { "fuse_conn_info.max_readahead", typeof(FuseConnectionInfo), nameof(FuseConnectionInfo.MaxReadahead) },
        { "fuse_conn_info.capable", typeof(FuseConnectionInfo), nameof(FuseConnectionInfo.Capable) },
        { "fuse_conn_info.want", typeof(FuseConnectionInfo), nameof(FuseConnectionInfo.Want) },
    };

    [HostTheory("gcc", "pkg-config", Root = false)]
    [MemberData(nameof(Fields))]
    public void Field_offsets_match_the_headers(string cField, Type managed, string field) =>
        Assert.Equal(Native.Value[cField], Marshal.OffsetOf(managed, field).ToInt64());

    [HostFact("gcc", "pkg-config", Root = false)]
    public void Every_operation_slot_is_at_its_header_offset()
    {
        var fields = typeof(FuseLowLevelOperations).GetFields().Where(f => !f.IsStatic).ToList();
        Assert.Equal(44, fields.Count);
        Assert.Equal(fields.Count, FuseLowLevelOperations.CNames.Length);
        for (var i = 0; i < FuseLowLevelOperations.CNames.Length; i++)
        {
            Assert.Equal(Native.Value[$"fuse_lowlevel_ops.{FuseLowLevelOperations.CNames[i]}"], Marshal.OffsetOf<FuseLowLevelOperations>(fields[i].Name).ToInt64());
        }
    }

    [HostFact("gcc", "pkg-config", Root = false)]
    public void Keep_cache_is_the_bit_we_set() =>
        Assert.Equal((long)FuseFileInfo.KeepCacheBit, Native.Value["keep_cache_word"]);

    [HostFact(Root = false)]
    public void Cache_readdir_is_the_bit_we_set() =>
        Assert.Equal((long)FuseFileInfo.CacheReaddirBit, Native.Value["cache_readdir_word"]);

    [HostTheory(Root = false)]
    [InlineData("FUSE_CAP_NO_OPEN_SUPPORT", FuseConnectionInfo.NoOpenSupport)]
    [InlineData("FUSE_CAP_CACHE_SYMLINKS", FuseConnectionInfo.CacheSymlinks)]
    [InlineData("FUSE_CAP_NO_OPENDIR_SUPPORT", FuseConnectionInfo.NoOpendirSupport)]
    [InlineData("FUSE_CAP_READDIRPLUS", FuseConnectionInfo.ReaddirPlus)]
    [InlineData("FUSE_CAP_READDIRPLUS_AUTO", FuseConnectionInfo.ReaddirPlusAuto)]
    public void Capability_flags_match_the_headers(string cName, uint managed) =>
        Assert.Equal((long)managed, Native.Value[cName]);

    private static Dictionary<string, long> CompileAndRun()
    {
        using var dir = new TempDirectory("gitfs-spec");
        var lines = new List<string>
        {
            "#define FUSE_USE_VERSION 314",
            "#include <fuse3/fuse_lowlevel.h>",
            "#include <sys/statvfs.h>",
            "#include <stddef.h>",
            "#include <stdio.h>",
            "#include <string.h>",
            "#define S(s) printf(\"%s %zu\\n\", #s, sizeof(struct s))",
            "#define P(s, f) printf(\"%s.%s %zu\\n\", #s, #f, offsetof(struct s, f))",
            "int main(void) {",
        };
        foreach (var s in new[] { "stat", "statvfs", "fuse_file_info", "fuse_entry_param", "fuse_args", "fuse_lowlevel_ops", "fuse_conn_info" })
        {
            lines.Add($"S({s});");
        }

        foreach (var (c, _, _) in Fields.Select(row => ((string)row[0], 0, 0)))
        {
            var parts = c.Split('.');
            lines.Add($"P({parts[0]}, {parts[1]});");
        }

        lines.AddRange(FuseLowLevelOperations.CNames.Select(n => $"P(fuse_lowlevel_ops, {n});"));
        lines.Add("struct fuse_file_info fi; memset(&fi, 0, sizeof fi); fi.keep_cache = 1;");
        lines.Add("printf(\"keep_cache_word %u\\n\", ((unsigned*)&fi)[1]);");
        lines.Add("memset(&fi, 0, sizeof fi); fi.cache_readdir = 1;");
        lines.Add("printf(\"cache_readdir_word %u\\n\", ((unsigned*)&fi)[1]);");
        foreach (var cap in new[] { "FUSE_CAP_NO_OPEN_SUPPORT", "FUSE_CAP_CACHE_SYMLINKS", "FUSE_CAP_NO_OPENDIR_SUPPORT", "FUSE_CAP_READDIRPLUS", "FUSE_CAP_READDIRPLUS_AUTO" })
        {
            lines.Add($"printf(\"%s %u\\n\", \"{cap}\", (unsigned){cap});");
        }

        lines.Add("return 0; }");
        var source = Path.Combine(dir.Path, "abi.c");
        File.WriteAllLines(source, lines);
        var exe = Path.Combine(dir.Path, "abi");
        var cflags = Shell.Run("pkg-config", "--cflags", "fuse3").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Shell.Run("gcc", ["-o", exe, source, .. cflags], null);
        return Shell.Run(exe).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => long.Parse(p[1]));
    }
}
