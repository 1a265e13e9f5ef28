using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Storage;

/// <summary>
/// history.log's line codec (issue 17: no JsonSerializer metadata on the boot path) against
/// JsonSerializer with the options the log was written with before: every entry is written byte for
/// byte the same (each line's hash is over those bytes, so old chains still verify), and every line,
/// well-formed or mangled, reads as JsonSerializer reads it, a refusal where it throws.
/// </summary>
[Properties(Arbitrary = [typeof(HistoryLineCodecProperties)], MaxTest = 500)]
public sealed class HistoryLineCodecProperties
{
    private static readonly JsonSerializerOptions Oracle = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    // Every character the plain path writes unescaped, which the relaxed encoder must leave too.
    private static readonly string PrintableAscii = new([.. Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c)]);

    private static readonly Gen<string?> TextGen = Gen.Frequency(
        (2, Gen.Constant<string?>(null)),
        (6, from n in Gen.Choose(0, 6)
            from parts in Gen.ListOf(Gen.Elements("good", " ", "+", "\"", "\\", "\n", "\t", "\0", "<&>'", "ünï", "😀", "\u2028", "\ufeff", "\x7f", "0", "`~", PrintableAscii, PrintableAscii.Replace("\"", "").Replace("\\", "")), n)
            select (string?)string.Concat(parts)));

    // What a boot writes: printable ASCII but the quote and the backslash (the codec's plain path).
    private static readonly Gen<string?> PlainTextGen = Gen.Frequency(
        (1, Gen.Constant<string?>(null)),
        (6, from n in Gen.Choose(0, 4)
            from parts in Gen.ListOf(Gen.Elements("good", " ", "+", "<&>'", "0", "`~", "2026-12-03T13:18:16.0211551+00:00", PrintableAscii.Replace("\"", "").Replace("\\", "")), n)
            select (string?)string.Concat(parts)));

    // Half the entries plain but for at most one text, which may need escaping: both paths and the edge between.
    private static readonly Gen<string?[]> TextsGen = Gen.Frequency(
        (1, Gen.ArrayOf(TextGen, 14)),
        (1, from plain in Gen.ArrayOf(PlainTextGen, 14)
            from odd in TextGen
            from at in Gen.Choose(0, 14)
            select at < 14 ? [.. plain[..at], odd, .. plain[(at + 1)..]] : plain));

    public static Arbitrary<HistoryEntry> Entries() =>
        (from seq in Gen.Choose(0, int.MaxValue).Select(n => n * 7L)
         from texts in TextsGen
         from force in Gen.Elements<bool?>(null, true, false)
         from generation in Gen.Choose(-5, int.MaxValue).Select(n => (long)n)
         from boots in Gen.Choose(-1, 9)
         from max in Gen.Choose(0, int.MaxValue)
         select new HistoryEntry
         {
             Seq = seq, At = texts[0] ?? "", Trigger = texts[1] ?? "", Event = texts[2], Revision = texts[3], Force = force, Slot = texts[4],
             Cause = texts[5], From = texts[6] ?? "", To = texts[7] ?? "", Generation = generation, KnownGood = texts[8] ?? "", Trial = texts[9],
             Previous = texts[10], TrialBoots = boots, MaxTrialBoots = max, Reason = texts[11] ?? "", Prev = texts[12] ?? "", Hash = texts[13],
         }).ToArbitrary();

    public static Arbitrary<Mangled> Mangles() =>
        (from entry in Entries().Generator
         from how in Gen.Choose(0, 7)
         from at in Gen.Choose(0, 10_000)
         from piece in Gen.Elements("", "x", ",", "\"", "{", "}", "[1,{}]", "null", "1.5", "1e3", "99999999999", "99999999999999999999", "-", "true",
             "\"x\"", " ", "\\", "\\u0041", "//c", ",\"extra\":{\"a\":[1,2]}", ",\"seq\":3", ",\"force\":\"true\"", "\ufeff")
         select new Mangled(HistoryLineCodec.Serialize(entry), how, at, piece)).ToArbitrary();

    [Property]
    public void Writes_what_JsonSerializer_writes(HistoryEntry entry) =>
        Assert.Equal(JsonSerializer.Serialize(entry, Oracle), HistoryLineCodec.Serialize(entry));

    [Property]
    public void Reads_back_what_it_writes(HistoryEntry entry) =>
        Assert.Equal(entry, HistoryLineCodec.TryParse(HistoryLineCodec.Serialize(entry)));

    [Property(MaxTest = 3000)]
    public void Reads_any_line_as_JsonSerializer_reads_it(Mangled mangled)
    {
        var line = mangled.Line;
        HistoryEntry? expected;
        try
        {
            expected = JsonSerializer.Deserialize<HistoryEntry>(line, Oracle);
        }
        catch (JsonException)
        {
            expected = null;
        }

        Assert.Equal(expected, HistoryLineCodec.TryParse(line));
    }

    [Fact]
    public void Reads_a_line_of_this_release_s_log()
    {
        const string line = """{"seq":602,"at":"2026-12-03T13:18:16.0211551+00:00","trigger":"KnownGoodCameUp","from":"Stable","to":"Stable","generation":602,"known_good":"60b0cb242957b5d5e8392abbad6ef7b95e081a0e","trial_boots":0,"max_trial_boots":1,"reason":"known-good came up (after 1 counted boot(s))","prev":"f93e65f8869d7dfab20c449372edb857cc34c50ba1d11a77cf58b07eed7aa5a2","hash":"1ff54faace24927c5bf344d68d61c56cdef46958ddd3f4736d57f3df345e6594"}""";
        var entry = HistoryLineCodec.TryParse(line);
        Assert.NotNull(entry);
        Assert.Equal(602, entry.Generation);
        Assert.Equal(line, HistoryLineCodec.Serialize(entry));
        Assert.Equal(entry.Hash, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(HistoryLineCodec.Serialize(entry with { Hash = null })))));
    }
}

/// <summary>A written line with one edit: 0 as is, 1 cut at, 2 insert piece at, 3 replace a char at, 4 the piece appended, 5 prepended, 6 piece before the closing brace, 7 the piece alone.</summary>
public sealed record Mangled(string Written, int How, int At, string Piece)
{
    public string Line
    {
        get
        {
            var i = At % (Written.Length + 1);
            return How switch
            {
                1 => Written[..i],
                2 => Written[..i] + Piece + Written[i..],
                3 when i < Written.Length => Written[..i] + Piece + Written[(i + 1)..],
                4 => Written + Piece,
                5 => Piece + Written,
                6 => Written[..^1] + Piece + "}",
                7 => Piece,
                _ => Written,
            };
        }
    }
}
