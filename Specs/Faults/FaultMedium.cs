using Webc.BootSafe.Specs.BootPath;
using Webc.BootSafe.Specs.Fetch.Support;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Specs.Faults;

/// <summary>
/// A loop-mounted ext4 medium with real extlinux installed, initialized on <see cref="Good"/> through
/// the real binary: the ground the issue-14 fault specs stand on.
/// </summary>
public sealed class FaultMedium(LoopMount mount, TempDirectory dir) : IDisposable
{
    public static readonly Revision Good = Revision.Parse(new string('1', 40));
    public static readonly Revision Trial = Revision.Parse(new string('2', 40));

    public static string Binary => Path.Combine(RepoPaths.Root, "Cli", "bin", "Release", "net10.0", "webc-bootsafe");

    public string Root => mount.Root;

    public MediumLayout Layout { get; } = new(mount.Root);

    public static FaultMedium Create(TempDirectory dir, string remote = "/nonexistent", string limits = "")
    {
        Directory.CreateDirectory(dir.Combine("payload"));
        var disk = ExtlinuxDisk.Build(dir.Combine($"disk-{Guid.NewGuid():N}.img"), dir.Combine("payload"), 64);
        var medium = new FaultMedium(disk.Mount(), dir);
        Proc.Run("git", ["init", "-q", "--bare", medium.Layout.Repository]);
        medium.Ok("init", "--revision", Good.Sha);
        medium.Ok("bootloader", "sync", "--kernel", medium.File("k1", "kernel 1"), "--initrd", medium.File("i1", "initrd 1"));
        System.IO.File.WriteAllText(medium.Layout.ConfigFile, $"remote: {remote}\nallow-unsigned: true\n{limits}");
        return medium;
    }

    /// <summary>Stages <see cref="Trial"/> and boots it once: the record is Trying.</summary>
    public string BootTrial()
    {
        Ok("stage", Trial.Sha, "--no-verify", "--kernel", File("k2", "kernel 2"), "--initrd", File("i2", "initrd 2"));
        var cmdline = Cmdline("trial", Trial);
        Ok("select", "--cmdline", cmdline);
        return cmdline;
    }

    public SortedDictionary<string, string> Snapshot() => new Fetch.Support.TestMedium(Layout).Snapshot();

    public ProcessResult Cli(params string[] args) => ProcessResult.Run(Binary, ["--medium", Root, .. args]);

    public ProcessResult Ok(params string[] args)
    {
        var result = Cli(args);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: {result}");
        return result;
    }

    public string File(string name, string content)
    {
        var path = dir.Combine(name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public string Cmdline(string slot, Revision revision) =>
        File($"cmdline-{slot}", $"boot=webc-bootsafe {BootArguments.Format(revision, SlotLabels.FromName(slot)!.Value)}");

    public void Dispose() => mount.Dispose();
}
