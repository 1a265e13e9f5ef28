using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.Specs.Storage.Support;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Specs.Storage;

/// <summary>
/// state.yaml's own codec (issue 17: no YAML library on the boot path) against YamlDotNet, which wrote
/// and read it before: every record a release before issue 17 wrote loads to the same record (reasons
/// folded over lines, quoted in either style, unicode, control characters), every record written now
/// loads in such a release (a rollback to an older revision boots its older select), a record of
/// plain values is written byte for byte as before, and no file with a valid checksum makes the
/// decoder fail other than with StateFileException.
/// </summary>
[Properties(Arbitrary = [typeof(StateYamlProperties)], MaxTest = 400)]
public sealed class StateYamlProperties
{
    private static readonly string[] Pieces =
    [
        "health", "failed:", "browser did not start", " ", "  ", "\t", ": ", " #", "#", "- ", "-", "'", "''", "\"", "\\", "\\n",
        "\n", "\r\n", "\n\n", "\r", "null", "~", "true", "123", "0x1F", "1e3", "&a", "*a", "!tag", "|", ">", "{", "}", "[", "]",
        ",", "%", "@", "`", "?", "ünïcødé", "✓", "😀", "\u2028", "\u2029", "\u0085", "\u00a0", "\ufeff", "\0", "\x1b", "\x7f",
        "\u0090", "a-very-long-word-without-any-space-in-it-that-runs-past-eighty-columns-of-the-emitter-width",
    ];

    public static Gen<string> TextGen { get; } =
        Gen.Frequency(
            (1, Gen.Constant(string.Empty)),
            (6, from n in Gen.Choose(1, 12)
                from parts in Gen.ListOf(Gen.Elements(Pieces), n)
                select string.Concat(parts)),
            (2, from n in Gen.Choose(10, 60)
                from words in Gen.ListOf(Gen.Elements("the", "trial", "did", "not", "come", "up", "in", "time:", "x", "'q'", "\"dq\""), n)
                from sep in Gen.Elements(" ", "  ", " \n", "\n\n ")
                select string.Join(sep, words)));

    private static readonly Gen<Revision> RevisionGen =
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 20)
        select Revision.Parse(Convert.ToHexStringLower(bytes));

    private static readonly Gen<DateTimeOffset> TimeGen =
        from ticks in Gen.Choose(0, int.MaxValue)
        from scale in Gen.Elements(1L, 10_000L, 100_000_000L)
        from offset in Gen.Choose(-14 * 4, 14 * 4)
        select new DateTimeOffset(new DateTime(2020, 1, 1).Ticks + ticks * scale, TimeSpan.FromMinutes(offset * 15));

    public static Gen<SlotRecord> RecordGen(Gen<string> text) =>
        from state in Gen.Elements(Enum.GetValues<SlotState>())
        from known in RevisionGen
        from trial in Gen.Frequency((1, Gen.Constant<Revision?>(null)), (1, RevisionGen.Select(r => (Revision?)r)))
        from previous in Gen.Frequency((1, Gen.Constant<Revision?>(null)), (1, RevisionGen.Select(r => (Revision?)r)))
        from generation in Gen.Choose(1, int.MaxValue).Select(g => g * 3L)
        from max in Gen.Choose(1, 5)
        from boots in Gen.Choose(0, 5)
        from unconfirmed in Gen.Choose(0, 5)
        from failedCount in Gen.Choose(0, 3)
        from failed in Gen.ListOf(from r in RevisionGen from why in text from at in TimeGen select new FailedRevision(r, why, at), failedCount)
        from hasBoot in Gen.Elements(true, false)
        from bootRevision in RevisionGen
        from slot in Gen.Frequency((1, Gen.Constant<string?>(null)), (3, Gen.Elements<string?>("good", "trial", "previous")), (2, text.Select(t => (string?)t)))
        from bootAt in TimeGen
        select new SlotRecord
        {
            State = state,
            KnownGood = known,
            Trial = trial,
            Previous = previous,
            Generation = generation,
            MaxTrialBoots = max,
            TrialBoots = boots,
            UnconfirmedKnownGoodBoots = unconfirmed,
            Failed = [.. failed],
            LastBoot = hasBoot ? new ObservedBoot(bootRevision, slot, bootAt) : null,
        };

    public static Arbitrary<SlotRecord> Records() => RecordGen(TextGen).ToArbitrary();

    [Property]
    public void What_is_written_reads_back_as_the_same_record(SlotRecord record) =>
        Assert.Equal(record, StateFileCodec.Decode(StateFileCodec.Encode(record)));

    /// <summary>
    /// Where YamlDotNet read its own file back as the record, this codec reads the record. Where it
    /// did not (a carriage return or U+2028 written raw and read as a line break, a NUL ending a block
    /// scalar, a value after a leading tab read as an anchor, a multi-line plain scalar it could not
    /// parse), that release already held another record; this codec then reads what YamlDotNet read,
    /// or refuses the file as damaged (state.yaml.prev takes over, as for any damage).
    /// </summary>
    [Property]
    public void What_a_release_before_issue_17_wrote_reads_as_that_release_reads_it(SlotRecord record)
    {
        var legacy = LegacyStateYaml.Encode(record);
        LegacyStateYaml.StateDocument? expected;
        try
        {
            expected = LegacyStateYaml.Decode(legacy);
        }
        catch (YamlDotNet.Core.YamlException)
        {
            expected = null;
        }

        if (expected?.Describe() == LegacyStateYaml.ToDocument(record).Describe())
        {
            Assert.Equal(record, DecodeOrShow(legacy));
            return;
        }

        SlotRecord read;
        try
        {
            read = StateFileCodec.Decode(legacy);
        }
        catch (StateFileException)
        {
            return;
        }

        if (expected is not null && !Strings(record).Any(t => t.Contains('\0')))
        {
            // (YamlDotNet stops reading a block scalar at a NUL it wrote raw: no reading to compare.)
            Assert.Equal(expected.Describe(), LegacyStateYaml.ToDocument(read).Describe());
        }

        Assert.Equal(record with { Failed = [], LastBoot = null }, read with { Failed = [], LastBoot = null });
    }

    [Property]
    public void What_is_written_now_reads_the_same_in_a_release_before_issue_17(SlotRecord record) =>
        Assert.Equal(LegacyStateYaml.ToDocument(record).Describe(), LegacyStateYaml.Decode(StateFileCodec.Encode(record)).Describe());

    [Property]
    public void A_record_of_plain_values_is_written_byte_for_byte_as_before(SlotRecord record)
    {
        var plain = record with
        {
            Failed = [.. record.Failed.Select(f => f with { Reason = "rolled-back" })],
            LastBoot = record.LastBoot is { } b ? b with { Slot = b.Slot is null ? null : "good" } : null,
        };
        Assert.Equal(Encoding.UTF8.GetString(LegacyStateYaml.Encode(plain)), Encoding.UTF8.GetString(StateFileCodec.Encode(plain)));
    }

    [Property]
    public void A_lone_surrogate_in_a_reason_reads_back_as_itself(SlotRecord record, char c)
    {
        var lone = record with { Failed = [new FailedRevision(record.KnownGood, $"x{(char)(0xD800 + (c % 0x800))}y", DateTimeOffset.UnixEpoch)] };
        Assert.Equal(lone, StateFileCodec.Decode(StateFileCodec.Encode(lone)));
    }

    /// <summary>A checksum guards the bytes, not their sense: any body with a valid checksum is read or refused as a state file, never a crash.</summary>
    [Property(MaxTest = 2000)]
    public void Any_checksummed_text_is_a_record_or_a_state_file_error(SlotRecord record, NonNegativeInt cut, NonNegativeInt at, char c)
    {
        var body = Encoding.UTF8.GetString(StateFileCodec.Encode(record));
        body = body[..body.LastIndexOf("checksum: ", StringComparison.Ordinal)];
        var i = at.Get % (body.Length + 1);
        var mangled = (cut.Get % 3) switch
        {
            0 => body[..i],
            1 => body[..i] + c + body[i..],
            _ => body.Remove(Math.Min(i, body.Length - 1), 1),
        };
        var bytes = Encoding.UTF8.GetBytes(mangled);
        var file = Encoding.UTF8.GetBytes(mangled + "checksum: sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)) + "\n");
        try
        {
            StateFileCodec.Decode(file);
        }
        catch (StateFileException)
        {
        }
    }

    private static IEnumerable<string> Strings(SlotRecord r) =>
        r.Failed.Select(f => f.Reason).Concat(r.LastBoot?.Slot is { } slot ? [slot] : []);

    // A refusal names the line; the file itself is what one needs to see why.
    private static SlotRecord DecodeOrShow(byte[] file)
    {
        try
        {
            return StateFileCodec.Decode(file);
        }
        catch (StateFileException e)
        {
            throw new InvalidOperationException($"{e.Message} in:\n{Encoding.UTF8.GetString(file)}", e);
        }
    }

    [Fact]
    public void Multi_line_reasons_written_as_yamldotnet_block_scalars_read_back()
    {
        string[] reasons = ["a\nb", "x\n\ny  z\n", "lead\n  indented\nend", "trail \n", "a\n", "\n\nafter empty lines", "tab\n\tindented", "ends\n\n\n"];
        var record = SlotRecord.Initial(Revision.Parse(new string('a', 40))) with
        {
            Failed = [.. reasons.Select(r => new FailedRevision(Revision.Parse(new string('b', 40)), r, DateTimeOffset.UnixEpoch))],
        };
        var legacy = LegacyStateYaml.Encode(record);
        Assert.Contains("reason: >", Encoding.UTF8.GetString(legacy), StringComparison.Ordinal);
        Assert.Equal(LegacyStateYaml.Decode(legacy).Describe(), LegacyStateYaml.ToDocument(StateFileCodec.Decode(legacy)).Describe());
    }
}
