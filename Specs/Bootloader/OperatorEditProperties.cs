using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.Bootloader;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Bootloader.Extlinux;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Specs.Bootloader.Support;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Specs.Bootloader;

/// <summary>
/// Issue 14 item 4: random operator edits to an extlinux.conf BootSafe wrote after a promotion
/// (lines inserted, deleted, duplicated, re-indented, re-cased, markers removed, stray labels,
/// INCLUDE, DEFAULT, UI, TEXT, CRLF). After what `bootloader sync` does (refuse, or neutralise and
/// rebuild), the ldlinux model boots the record's known-good by default and the forecast `explain`
/// prints agrees; a refusal names a line the file has and changes nothing.
/// </summary>
public sealed class OperatorEditProperties
{
    private static readonly Revision Old = Revisions.Of(1);
    private static readonly Revision Good = Revisions.Of(2);
    private static readonly Revision Stray = Revisions.Of(3);
    private static readonly MediumLayout Layout = new("/medium");

    private static readonly string[] Vocabulary =
    [
        "LABEL good", "LABEL trial", "LABEL previous", "\tlabel\tgood", "Label previous extra words", "label Good",
        $"  LINUX /live/vmlinuz-{Old.Sha}", $"  KERNEL /live/vmlinuz-{Stray.Sha}", $"  INITRD /live/initrd-{Old.Sha}",
        $"  APPEND boot=live git-revision={Old.Sha} bootsafe.slot=good", "APPEND quiet", "APPEND -",
        "INCLUDE other.cfg", "include /boot/extlinux/other.cfg", "MENU INCLUDE other.cfg", "CONFIG /other.conf",
        "DEFAULT previous", "default trial", "DEFAULT rescue", "UI menu.c32", "ONTIMEOUT previous", "ONERROR previous",
        "MENU ONERROR previous", "PROMPT 1", "TIMEOUT 0", "TOTALTIMEOUT 10", "LABEL rescue", "LABEL memtest", "MENU DISABLE", "MENU HIDE",
        "MENU DEFAULT", "MENU BEGIN sub", "MENU END", "TEXT HELP", "ENDTEXT", "SERIAL 0 9600", "# comment", "", "   ",
        ExtlinuxConfigDocument.BeginMarker, ExtlinuxConfigDocument.EndMarker, "DEFAULTgood", "  \t DEFAULT previous",
    ];

    private abstract record Edit;

    private sealed record Insert(int At, string Line) : Edit;

    private sealed record Delete(int At) : Edit;

    private sealed record Duplicate(int At) : Edit;

    private sealed record Reindent(int At, string Prefix) : Edit;

    private sealed record Recase(int At) : Edit;

    private sealed record RemoveMarkers(bool Begin, bool End) : Edit;

    private sealed record CrLf : Edit;

    private static Gen<Edit> Edits() => Gen.OneOf(
        from at in Gen.Choose(0, 40) from line in Gen.Elements(Vocabulary) select (Edit)new Insert(at, line),
        from at in Gen.Choose(0, 40) select (Edit)new Delete(at),
        from at in Gen.Choose(0, 40) select (Edit)new Duplicate(at),
        from at in Gen.Choose(0, 40) from prefix in Gen.Elements(" ", "\t", "  \t") select (Edit)new Reindent(at, prefix),
        from at in Gen.Choose(0, 40) select (Edit)new Recase(at),
        from begin in ArbMap.Default.GeneratorFor<bool>() from end in ArbMap.Default.GeneratorFor<bool>() select (Edit)new RemoveMarkers(begin, end),
        Gen.Constant((Edit)new CrLf()));

    private static string Apply(string text, IEnumerable<Edit> edits)
    {
        var lines = text.TrimEnd('\n').Split('\n').ToList();
        var crlf = false;
        foreach (var edit in edits)
        {
            int At(int at) => lines.Count == 0 ? 0 : at % lines.Count;
            switch (edit)
            {
                case Insert i:
                    lines.Insert(lines.Count == 0 ? 0 : i.At % (lines.Count + 1), i.Line);
                    break;
                case Delete d when lines.Count > 0:
                    lines.RemoveAt(At(d.At));
                    break;
                case Duplicate d when lines.Count > 0:
                    lines.Insert(At(d.At), lines[At(d.At)]);
                    break;
                case Reindent r when lines.Count > 0:
                    lines[At(r.At)] = r.Prefix + lines[At(r.At)].TrimStart();
                    break;
                case Recase r when lines.Count > 0:
                    lines[At(r.At)] = lines[At(r.At)].ToLowerInvariant();
                    break;
                case RemoveMarkers m:
                    lines.RemoveAll(l => (m.Begin && l == ExtlinuxConfigDocument.BeginMarker) || (m.End && l == ExtlinuxConfigDocument.EndMarker));
                    break;
                case CrLf:
                    crlf = true;
                    break;
            }
        }

        return string.Join(crlf ? "\r\n" : "\n", lines) + (crlf ? "\r\n" : "\n");
    }

    /// <summary>A medium after a promotion: good = Good, previous = Old, every kernel file present, an INCLUDE target that defines good.</summary>
    private static (RecordingMediumStorage Storage, MediumBootloader Bootloader, SlotRecord Record) Promoted()
    {
        var storage = new RecordingMediumStorage();
        storage.CreateDirectory(Layout.ExtlinuxDirectory);
        storage.WriteNew(Path.Combine(Layout.ExtlinuxDirectory, ExtlinuxAdvFile.BootImageName), FakeBootImage.Create());
        storage.WriteNew(Path.Combine(Layout.ExtlinuxDirectory, "other.cfg"), Encoding.UTF8.GetBytes(
            $"LABEL good\n  LINUX /live/vmlinuz-{Old.Sha}\n  INITRD /live/initrd-{Old.Sha}\n  APPEND git-revision={Old.Sha}\nDEFAULT good\n"));
        var bootloader = new MediumBootloader(Layout, storage, new BootEntryOptions(), FixedFileSystemProbe.Ext4);
        foreach (var revision in new[] { Old, Good, Stray })
        {
            bootloader.Kernels.Install(revision, [1], [2]);
        }

        var record = SlotRecord.Initial(Good) with { Previous = Old };
        bootloader.Config.Write(new BootEntries(Good, null, Old), new BootEntryOptions());
        return (storage, bootloader, record);
    }

    /// <summary>What `bootloader sync` does: refuse with nothing written, or rebuild from the record.</summary>
    private static BadInputException? Sync(MediumBootloader bootloader, SlotRecord record)
    {
        try
        {
            bootloader.Config.ReadDocument().RequireAcceptable(bootloader.Config.Path);
        }
        catch (BadInputException e)
        {
            return e;
        }

        bootloader.Applier.Reconcile(record);
        return null;
    }

    private static Property BootsKnownGood(MediumBootloader bootloader, Revision good)
    {
        var forecast = bootloader.Forecast.NextBoots(1)[0];
        var boot = bootloader.Ldlinux.Boot();
        return (boot.Label == "good" && boot.Revision == good).Label($"ldlinux boots good={good.Short}: {boot.Label} {boot.Revision?.Short} ({string.Join("; ", boot.Steps)})")
            .And((forecast.Label == boot.Label && forecast.Revision == boot.Revision).Label("explain's forecast agrees with the boot"));
    }

    [Property(MaxTest = 500)]
    public Property After_sync_or_its_refusal_ldlinux_boots_known_good_and_explain_agrees() =>
        Prop.ForAll(Edits().ListOf().Select(l => l.ToArray()).ToArbitrary(), edits =>
        {
            var (storage, bootloader, record) = Promoted();
            var edited = Apply(bootloader.Config.ReadText(), edits);
            storage.ReplaceAtomically(Layout.ExtlinuxConfig, Encoding.UTF8.GetBytes(edited));

            var refusal = Sync(bootloader, record);
            if (refusal is not null)
            {
                // The refusal names a line of the file and writes nothing; once the operator removes
                // the refused lines, sync repairs the rest.
                var unchanged = bootloader.Config.ReadText() == edited;
                var named = System.Text.RegularExpressions.Regex.Match(refusal.Message, @"line (\d+) '");
                var lines = ExtlinuxConfigDocument.Parse(edited);
                // Removing a line can expose another (an INCLUDE a TEXT block swallowed), as it
                // would for the operator: remove and sync again until sync accepts.
                var cleaned = edited;
                BadInputException? second = refusal;
                for (var round = 0; round < 10 && second is not null; round++)
                {
                    var refused = ExtlinuxConfigDocument.Parse(cleaned).Refusals;
                    cleaned = string.Join('\n', cleaned.Replace("\r\n", "\n").Split('\n')
                        .Where((_, i) => !refused.Any(r => r.LineNumber == i + 1)));
                    storage.ReplaceAtomically(Layout.ExtlinuxConfig, Encoding.UTF8.GetBytes(cleaned));
                    second = Sync(bootloader, record);
                }

                return unchanged.Label("refusal wrote nothing")
                    .And(named.Success && lines.Refusals.Any(r => r.LineNumber == int.Parse(named.Groups[1].Value))).Label($"refusal names a refused line: {refusal.Message}")
                    .And((second is null).Label($"sync after removing the refused lines: {second?.Message}"))
                    .And(second is null ? BootsKnownGood(bootloader, record.KnownGood) : false.ToProperty());
            }

            var idempotent = Sync(bootloader, record) is null && bootloader.Config.ReadText() is var once
                && Sync(bootloader, record) is null && bootloader.Config.ReadText() == once;
            return BootsKnownGood(bootloader, record.KnownGood)
                .And(idempotent.Label("a second sync changes nothing"))
                .And(ExtlinuxConfigDocument.Parse(bootloader.Config.ReadText()).Findings.Count == 0).Label("nothing left to neutralise")
                .Classify(edited != bootloader.Config.ReadText(), "repaired")
                .Classify(!edited.Contains(ExtlinuxConfigDocument.BeginMarker, StringComparison.Ordinal), "begin marker removed");
        });

    [Fact]
    public void Deleting_the_markers_after_a_promotion_is_repaired_by_sync()
    {
        var (_, bootloader, record) = Promoted();
        var text = bootloader.Config.ReadText()
            .Replace(ExtlinuxConfigDocument.BeginMarker + "\n", string.Empty, StringComparison.Ordinal)
            .Replace(ExtlinuxConfigDocument.EndMarker + "\n", string.Empty, StringComparison.Ordinal);
        bootloader.Storage.ReplaceAtomically(Layout.ExtlinuxConfig, Encoding.UTF8.GetBytes(text));
        var before = bootloader.Config.ReadDocument();
        Assert.Null(before.ManagedBlock);

        Assert.Null(Sync(bootloader, record));

        var repairs = SyncRepairs.Describe(before, new BootEntries(Good, null, Old), bootloader.Config.ReadText());
        Assert.Contains(repairs, r => r.Contains("missing", StringComparison.Ordinal));
        Assert.Contains(repairs, r => r.Contains("'LABEL good'", StringComparison.Ordinal));
        var boot = bootloader.Ldlinux.Boot();
        Assert.Equal(("good", (Revision?)Good), (boot.Label, boot.Revision));
    }

    [Theory]
    [InlineData("INCLUDE other.cfg", "INCLUDE")]
    [InlineData("menu include other.cfg", "INCLUDE")]
    [InlineData("TEXT HELP", "ENDTEXT")]
    public void A_refused_line_is_named_with_its_number(string line, string reason)
    {
        var (storage, bootloader, record) = Promoted();
        var text = "LABEL rescue\n" + line + "\n" + bootloader.Config.ReadText();
        storage.ReplaceAtomically(Layout.ExtlinuxConfig, Encoding.UTF8.GetBytes(text));

        var refusal = Sync(bootloader, record);

        Assert.NotNull(refusal);
        Assert.Contains($"line 2 '{line}'", refusal.Message);
        Assert.Contains(reason, refusal.Message);
        Assert.Equal(text, bootloader.Config.ReadText());
    }

    [Fact]
    public void A_duplicate_operator_label_is_refused_naming_both_lines()
    {
        var document = ExtlinuxConfigDocument.Parse("LABEL rescue\n  KERNEL /a\nLABEL rescue\n  KERNEL /b\n");
        var refusal = Assert.Single(document.Refusals);
        Assert.Equal(3, refusal.LineNumber);
        Assert.Contains("line 1", refusal.Reason);
    }
}
