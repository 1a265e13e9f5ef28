using System.Diagnostics;
using System.Text.Json;
using Webc.BootSafe.Specs.Lab;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.Kiosk;

/// <summary>
/// One kiosk for one scenario: a sparse copy of a base disk, booted under QEMU (TCG) until it powers
/// off. The kiosk plays its own fetch timer: a boot with the vendor's upstream disk attached (second
/// IDE disk, lab/kiosk/make-upstream-disk.sh, master at the release the vendor published) runs
/// `webc-bootsafe fetch --stage` inside the VM after confirm. The host only reads the medium's state
/// between boots (lab/kiosk/medium.sh, VM stopped).
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

    /// <param name="knownGood">The release the base disk is Stable on (r1 or r2).</param>
    public static KioskMachine FromBase(string knownGood = "r1")
    {
        var baseImage = KioskBase.ImageOn(knownGood);
        var work = new TempDirectory("bootsafe-kiosk");
        var image = work.Combine("kiosk.img");
        Run.Command("cp", "--sparse=always", baseImage, image);
        return new KioskMachine(work, image);
    }

    /// <summary>
    /// The fetch timer inside the VM: boots with the vendor's master at <paramref name="release"/>;
    /// known-good comes up, confirms, and `fetch --stage` verifies and stages the release as the trial.
    /// </summary>
    public KioskConsole FetchAndStage(string release)
    {
        var console = BootWithUpstream(release);
        Assert.True(console.PoweredOff, $"the fetch boot ({release}) did not power off cleanly:\n{console}");
        Assert.True(console.FetchExits is [0], $"fetch --stage of {release} in the VM did not exit 0 once:\n{console}");
        var revision = KioskBase.Revision(release);
        Assert.True(
            console.Serial.Text.Contains($"{revision} verified (ssh:", StringComparison.Ordinal),
            $"{release} was not verified by its SSH signature (the lab key config.yaml trusts):\n{console}");
        var state = State();
        Assert.Equal(("Staged", revision), (state.State, state.Trial));
        return console;
    }

    /// <summary>A boot with the upstream disk attached; <paramref name="stopWhen"/> may cut the power (kill QEMU).</summary>
    public KioskConsole BootWithUpstream(string release, Func<string, bool>? stopWhen = null)
    {
        var disk = work.Combine($"upstream-{release}.img");
        if (!File.Exists(disk))
        {
            Run.Command(
                TimeSpan.FromMinutes(5), "bash",
                Path.Combine(RepoPaths.Root, "lab", "kiosk", "make-upstream-disk.sh"), disk, KioskBase.Upstream, release);
        }

        // index=1: the primary slave; the boot disk (the first -drive) keeps index 0, so the BIOS boots it.
        // The guest finds this disk by its label: its sda/sdb naming varies from boot to boot.
        return Boot(stopWhen, ["-drive", $"file={disk},format=raw,if=ide,index=1"]);
    }

    /// <summary>Cuts the power <paramref name="delay"/> after the console first shows <paramref name="marker"/>.</summary>
    public static Func<string, bool> CutAfter(string marker, TimeSpan delay)
    {
        Stopwatch? seen = null;
        return text =>
        {
            if (seen is null && text.Contains(marker, StringComparison.Ordinal))
            {
                seen = Stopwatch.StartNew();
            }

            return seen is not null && seen.Elapsed >= delay;
        };
    }

    public KioskState State()
    {
        var json = Medium(KioskBase.Cli, "--json", "status");
        return JsonSerializer.Deserialize<KioskState>(json, StatusJson)
               ?? throw new InvalidOperationException("status --json printed null: " + json);
    }

    public KioskConsole Boot() => Boot(null, []);

    /// <summary>
    /// One power-on as its own QEMU process with -no-reboot, so a guest reboot ends it and the next
    /// call is a fresh power-on; the disk is attached through <paramref name="drive"/> (a -drive value).
    /// </summary>
    /// <param name="stopWhen">Polled with the console text; true cuts the power (a guest that waits forever).</param>
    public KioskConsole PowerOn(string drive, Func<string, bool>? stopWhen = null) =>
        new(QemuVm.Boot(Image, work.Combine($"console-{++boots}.log"), BootTimeout, stopWhen: stopWhen, extraArguments: ["-no-reboot"], drive: drive));

    /// <summary>The boot disk on IDE, as <see cref="Boot()"/> attaches it, for <see cref="PowerOn"/>.</summary>
    public string IdeDrive => $"file={Image},format=raw,if=ide";

    /// <summary>
    /// Breaks the stopped kiosk's medium (lab/kiosk/break-medium.sh): <paramref name="mode"/> no-init,
    /// missing or append, on extlinux label <paramref name="label"/>.
    /// </summary>
    public string Break(string mode, string label, params string[] words) =>
        Run.Command(
            TimeSpan.FromMinutes(2), "bash",
            [Path.Combine(RepoPaths.Root, "lab", "kiosk", "break-medium.sh"), Image, mode, label, .. words]);

    public void Dispose() => work.Dispose();

    private KioskConsole Boot(Func<string, bool>? stopWhen, IEnumerable<string> extraArguments)
    {
        var console = QemuVm.Boot(Image, work.Combine($"console-{++boots}.log"), BootTimeout, stopWhen: stopWhen, extraArguments: extraArguments);
        return new KioskConsole(console);
    }

    private string Medium(string cli, params string[] arguments)
    {
        var result = Run.Try(TimeSpan.FromMinutes(5), "bash", [Path.Combine(RepoPaths.Root, "lab", "kiosk", "medium.sh"), Image, cli, .. arguments]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{cli} {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.Output}{result.Error}");
        }

        return result.Output;
    }
}

/// <summary>The slot record as `status --json` prints it (the fields the scenarios assert on).</summary>
public sealed record KioskState(string State, string KnownGood, string? Trial, IReadOnlyList<KioskFailed> Failed)
{
    public bool HasFailed(string revision) => Failed.Any(f => f.Revision == revision);
}

public sealed record KioskFailed(string Revision, string Reason);
