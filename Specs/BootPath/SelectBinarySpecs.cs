using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Specs.Support;

namespace Webc.BootSafe.Specs.BootPath;

/// <summary>
/// webc-bootsafe-select (the initramfs's, linking only select) against `webc-bootsafe select`: on twin
/// media in each situation, the same exit code, the same lines on stdout and stderr, and the same
/// record, boot-once and extlinux.conf afterwards (the boot's time aside).
/// </summary>
[Trait(Tier.Name, Tier.Host)]
[Collection(MachineCollection.Name)]
public sealed class SelectBinarySpecs
{
    public static TheoryData<string> Situations => new(Setups.Keys);

    private static readonly Dictionary<string, Func<(TestMedium Medium, string CommandLine, string[] Extra)>> Setups = new()
    {
        ["stable known-good"] = () => (new TestMedium().Initialize(), TestMedium.Boot(TestMedium.KnownGood, "good"), []),
        ["first boot of a trial"] = () => (new TestMedium().Initialize().Fire(new Stage(TestMedium.Trial)).ConsumeBootOnce(),
            TestMedium.Boot(TestMedium.Trial, "trial"), []),
        ["trial over budget, json"] = () => (new TestMedium().Initialize().Fire(new Stage(TestMedium.Trial)).Fire(new BootObserved(TestMedium.Trial, "trial")),
            TestMedium.Boot(TestMedium.Trial, "trial"), ["--json"]),
        ["known-good while staged, attempts used"] = () => (new TestMedium().Initialize(maxTrialBoots: 1).Fire(new Stage(TestMedium.Trial)).ConsumeBootOnce(),
            TestMedium.Boot(TestMedium.KnownGood, "good"), []),
        ["unknown revision"] = () => (new TestMedium().Initialize(), TestMedium.Boot(TestMedium.Other, "good"), []),
        ["corrupt state"] = () =>
        {
            var medium = new TestMedium().Initialize();
            File.WriteAllText(medium.Layout.StateFile, "state: {{{ not yaml");
            File.Delete(medium.Layout.PreviousStateFile);
            return (medium, TestMedium.Boot(TestMedium.Trial, "trial"), []);
        },
        ["no state and no revision"] = () => (new TestMedium(), "boot=webc-bootsafe quiet", []),
    };

    [HostTheory("extlinux")]
    [MemberData(nameof(Situations))]
    public void Both_binaries_select_alike(string situation)
    {
        var (boot, bootCommandLine, extra) = Setups[situation]();
        var (full, fullCommandLine, _) = Setups[situation]();
        using (boot)
        using (full)
        {
            var bySelect = ProcessResult.Run(AotBinary.SelectPath, ["--medium", boot.Root, "--cmdline", boot.CommandLine(bootCommandLine), .. extra]);
            var byCli = ProcessResult.Run(AotBinary.Path, ["select", "--medium", full.Root, "--cmdline", full.CommandLine(fullCommandLine), .. extra]);

            Assert.True(bySelect.ExitCode == byCli.ExitCode, $"webc-bootsafe-select: {bySelect}\nwebc-bootsafe select: {byCli}");
            Assert.Equal(byCli.Stdout, bySelect.Stdout);
            Assert.Equal(byCli.Stderr.Replace(full.Root, "MEDIUM", StringComparison.Ordinal), bySelect.Stderr.Replace(boot.Root, "MEDIUM", StringComparison.Ordinal));
            if (File.Exists(full.Layout.StateFile) && situation != "corrupt state")
            {
                Assert.Equal(WithoutTime(full.Record), WithoutTime(boot.Record));
            }

            Assert.Equal(full.BootOnce, boot.BootOnce);
            Assert.Equal(File.Exists(full.Layout.ExtlinuxConfig), File.Exists(boot.Layout.ExtlinuxConfig));
            if (File.Exists(full.Layout.ExtlinuxConfig))
            {
                Assert.Equal(File.ReadAllText(full.Layout.ExtlinuxConfig), File.ReadAllText(boot.Layout.ExtlinuxConfig));
            }
        }
    }

    [HostFact]
    public void An_argv_select_does_not_take_is_exit_2_in_one_line_and_version_and_help_answer()
    {
        var bad = ProcessResult.Run(AotBinary.SelectPath, ["--medium"]);
        Assert.True(bad.ExitCode == 2, bad.ToString());
        Assert.Equal(string.Empty, bad.Stdout);
        Assert.Single(bad.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("webc-bootsafe-select: --medium: not understood; usage:", bad.Stderr, StringComparison.Ordinal);

        var missing = ProcessResult.Run(AotBinary.SelectPath, ["--medium", "/nonexistent/medium", "--cmdline", "/dev/null"]);
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Equal("webc-bootsafe: --medium /nonexistent/medium is not a directory\n", missing.Stderr);

        var version = ProcessResult.Run(AotBinary.SelectPath, ["--version"]);
        Assert.Equal(ProcessResult.Run(AotBinary.Path, ["--version"]).Stdout, version.Stdout);
        Assert.Contains("usage: webc-bootsafe-select", ProcessResult.Run(AotBinary.SelectPath, ["--help"]).Stdout, StringComparison.Ordinal);
    }

    // Times are the clock's; everything else must match.
    private static string WithoutTime(SlotRecord record) =>
        (record with { LastBoot = record.LastBoot is { } boot ? boot with { At = default } : null, Failed = [] })
        + " failed: " + string.Join(", ", record.Failed.Select(f => f with { At = default }));
}
