using System.Text.Json;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Kiosk;

/// <summary>
/// One kiosk for one scenario: a sparse copy of the base disk, booted under QEMU (TCG) until it powers
/// off. Between boots, with QEMU stopped, the host plays the kiosk's fetch timer on the loop-mounted
/// medium (git fetch from the vendor's file:// repository, then `webc-bootsafe stage`): the busybox
/// revisions carry no .NET runtime for the JIT-built fetch.
/// </summary>
public sealed class KioskMachine : IDisposable
{
    public static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(10);

    private static readonly JsonSerializerOptions StatusJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly TempDirectory work;
    private int boots;

    private KioskMachine(TempDirectory work, string image)
    {
        this.work = work;
        Image = image;
    }

    public string Image { get; }

    public static KioskMachine FromBase()
    {
        var baseImage = KioskBase.Image;
        var work = new TempDirectory("bootsafe-kiosk");
        var image = work.Combine("kiosk.img");
        Run.Command("cp", "--sparse=always", baseImage, image);
        return new KioskMachine(work, image);
    }

    /// <summary>Brings the vendor's release into the medium's repository (what the fetch timer's git fetch does).</summary>
    public void Fetch(string release) =>
        Medium("git", "fetch", "-q", "--no-tags", "file://" + KioskBase.Upstream, $"+refs/tags/{release}:refs/tags/{release}");

    /// <summary>`webc-bootsafe stage` of a fetched release; the result, so refusals can be asserted.</summary>
    public CommandResult TryStage(string release) => TryMedium(KioskBase.Cli, "stage", KioskBase.Revision(release));

    public void FetchAndStage(string release)
    {
        Fetch(release);
        var staged = TryStage(release);
        Assert.True(staged.ExitCode == 0, $"stage {release} exited {staged.ExitCode}: {staged.Output}{staged.Error}");
    }

    public KioskState State()
    {
        var json = Medium(KioskBase.Cli, "--json", "status");
        return JsonSerializer.Deserialize<KioskState>(json, StatusJson)
               ?? throw new InvalidOperationException("status --json printed null: " + json);
    }

    public KioskConsole Boot()
    {
        var console = QemuVm.Boot(Image, work.Combine($"console-{++boots}.log"), BootTimeout);
        return new KioskConsole(console);
    }

    /// <summary>
    /// One power-on as its own QEMU process with -no-reboot, so a guest reboot ends it and the next
    /// call is a fresh power-on; the disk is attached through <paramref name="drive"/> (a -drive value).
    /// </summary>
    public KioskConsole PowerOn(string drive) =>
        new(QemuVm.Boot(Image, work.Combine($"console-{++boots}.log"), BootTimeout, extraArguments: ["-no-reboot"], drive: drive));

    public void Dispose() => work.Dispose();

    private string Medium(string cli, params string[] arguments)
    {
        var result = TryMedium(cli, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{cli} {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.Output}{result.Error}");
        }

        return result.Output;
    }

    private CommandResult TryMedium(string cli, params string[] arguments) =>
        Run.Try(TimeSpan.FromMinutes(5), "bash", [Path.Combine(RepoPaths.Root, "lab", "kiosk", "medium.sh"), Image, cli, .. arguments]);
}

/// <summary>The slot record as `status --json` prints it (the fields the scenarios assert on).</summary>
public sealed record KioskState(string State, string KnownGood, string? Trial, IReadOnlyList<KioskFailed> Failed)
{
    public bool HasFailed(string revision) => Failed.Any(f => f.Revision == revision);
}

public sealed record KioskFailed(string Revision, string Reason);
