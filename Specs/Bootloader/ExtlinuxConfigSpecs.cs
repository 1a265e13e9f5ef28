using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Specs.Bootloader;

public sealed class ExtlinuxConfigSpecs
{
    private static readonly string[] OperatorVocabulary =
    [
        "# operator comment", "LABEL rescue", "  LINUX /boot/memtest86+.bin", "  APPEND quiet", "MENU TITLE Kiosk",
        "DEFAULT rescue", "TIMEOUT 0", "ONERROR rescue", "PROMPT 1", "", "  INITRD /boot/extra.img", "label lower",
    ];

    private static Arbitrary<(BootEntries Entries, string[] Operator)> Cases() =>
        (from good in Gen.Choose(0, 5)
         from trial in Gen.Choose(-1, 5)
         from previous in Gen.Choose(-1, 5)
         from lines in Gen.Elements(OperatorVocabulary).ArrayOf()
         select (new BootEntries(
                 Revisions.Of(good),
                 trial < 0 ? null : Revisions.Of(trial),
                 previous < 0 ? null : Revisions.Of(previous)),
             lines)).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property The_managed_block_decides_what_boots_and_operator_lines_survive() => Prop.ForAll(Cases(), c =>
    {
        var options = new BootEntryOptions("boot=live quiet", "0 115200", 50);
        var original = string.Join('\n', c.Operator) + "\n";
        var text = ExtlinuxConfigDocument.Parse(original).With(c.Entries, options).Render();
        var config = SyslinuxConfigParser.Parse(text);
        var reparsed = ExtlinuxConfigDocument.Parse(text);

        var labelsRight = c.Entries.Labels.All(l =>
            config.Find(l.Label.Name()) is { } found
            && found.Kernel == "/live/vmlinuz-" + l.Revision.Sha
            && found.Initrd == "/live/initrd-" + l.Revision.Sha
            && found.Append == $"boot=live quiet git-revision={l.Revision.Sha} bootsafe.slot={l.Label.Name()}");
        var onlyThose = (c.Entries.Trial is null) == (config.Find("trial") is null)
                        && (c.Entries.Previous is null) == (config.Find("previous") is null);
        var operatorKept = reparsed.OperatorLines.Select(l => l.Replace(ExtlinuxConfigDocument.DisabledPrefix, string.Empty))
            .SequenceEqual(ExtlinuxConfigDocument.Parse(original).OperatorLines);
        var rewriteIsStable = ExtlinuxConfigDocument.Parse(text).With(c.Entries, options).Render() == text;

        return (config.Default == "good").Label("DEFAULT good")
            .And(config.TimeoutTenths == 50).Label("TIMEOUT")
            .And(config.OnError == "good").Label("ONERROR good")
            .And(config.Serial == "0 115200").Label("SERIAL")
            .And(text.EndsWith(ExtlinuxConfigDocument.EndMarker + "\n", StringComparison.Ordinal)).Label("block last")
            .And(labelsRight).Label("labels")
            .And(onlyThose).Label("only staged labels")
            .And(reparsed.Entries == c.Entries).Label("entries read back")
            .And(operatorKept).Label("operator lines survive")
            .And(rewriteIsStable).Label("rewrite is stable");
    });

    [Fact]
    public void The_written_file_reads_as_documented()
    {
        var good = Revisions.Of(1);
        var trial = Revisions.Of(2);
        var text = ExtlinuxConfigDocument.Empty.With(new BootEntries(good, trial), new BootEntryOptions()).Render();

        Assert.Equal(
            $"""
            {ExtlinuxConfigDocument.BeginMarker}
            DEFAULT good
            PROMPT 0
            TIMEOUT 30
            ONERROR good
            LABEL good
              LINUX /live/vmlinuz-{good.Sha}
              INITRD /live/initrd-{good.Sha}
              APPEND {BootEntryOptions.DefaultAppend} git-revision={good.Sha} bootsafe.slot=good
            LABEL trial
              LINUX /live/vmlinuz-{trial.Sha}
              INITRD /live/initrd-{trial.Sha}
              APPEND {BootEntryOptions.DefaultAppend} git-revision={trial.Sha} bootsafe.slot=trial
            {ExtlinuxConfigDocument.EndMarker}

            """,
            text);
    }

    [Fact]
    public void An_operator_default_is_commented_out_and_other_lines_keep_their_order()
    {
        var original = "DEFAULT live\nLABEL live\n  KERNEL /live/vmlinuz\n  APPEND boot=live\n";
        var text = ExtlinuxConfigDocument.Parse(original).With(new BootEntries(Revisions.Of(1)), new BootEntryOptions()).Render();

        Assert.StartsWith(ExtlinuxConfigDocument.DisabledPrefix + "DEFAULT live\nLABEL live\n  KERNEL /live/vmlinuz\n  APPEND boot=live\n" + ExtlinuxConfigDocument.BeginMarker, text);
        var config = SyslinuxConfigParser.Parse(text);
        Assert.Equal("good", config.Default);
        Assert.Equal("/live/vmlinuz", config.Find("live")!.Kernel);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_timeout_that_would_hang_a_missing_label_is_refused(int timeout) =>
        Assert.Throws<BadInputException>(() => new BootEntryOptions(timeoutTenths: timeout));

    [Fact]
    public void An_append_that_sets_our_parameters_is_refused() =>
        Assert.Contains("git-revision", Assert.Throws<BadInputException>(() => new BootEntryOptions("boot=live git-revision=x")).Message);
}
