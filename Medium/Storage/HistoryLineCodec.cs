using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Webc.BootSafe.Medium.Storage;

/// <summary>
/// A <see cref="HistoryEntry"/> &lt;-&gt; one line of history.log, by hand over Utf8JsonWriter and
/// Utf8JsonReader: every boot reads and writes a line, and JsonSerializer's metadata cost a boot more
/// than the line itself (issue 17). The bytes are JsonSerializer's with the log's options (snake_case,
/// nulls left out, relaxed escaping, fields in declaration order), since each line's hash is over
/// them: Specs/Storage/HistoryLineCodecProperties.cs checks writing byte for byte and reading value
/// for value (or refusal for refusal) against JsonSerializer.
/// </summary>
public static class HistoryLineCodec
{
    // Relaxed escaping keeps times and reasons readable ('+' stays '+'); control characters and
    // line breaks are still escaped, so one record is always one line.
    private static JsonWriterOptions? relaxed;

    /// <summary>
    /// A boot's line (times, shas, state names, reasons) is printable ASCII with nothing to escape, and
    /// is written as text; Utf8JsonWriter, whose encoder's set-up cost a boot more than the line itself
    /// (issue 17), writes the others.
    /// </summary>
    public static string Serialize(HistoryEntry e)
    {
        if (AllPlain(e))
        {
            var text = new PlainLine(new StringBuilder(512));
            Write(ref text, e);
            return text.Line.ToString();
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, relaxed ??= new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var json = new JsonLine(writer);
            Write(ref json, e);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // The one order of the fields (JsonSerializer's: declaration order), nulls left out.
    private static void Write<TLine>(ref TLine w, HistoryEntry e)
        where TLine : struct, ILine
    {
        w.Start();
        w.Number("seq", e.Seq);
        w.Text("at", e.At);
        w.Text("trigger", e.Trigger);
        w.Text("event", e.Event);
        w.Text("revision", e.Revision);
        if (e.Force is { } force)
        {
            w.Boolean("force", force);
        }

        w.Text("slot", e.Slot);
        w.Text("cause", e.Cause);
        w.Text("from", e.From);
        w.Text("to", e.To);
        w.Number("generation", e.Generation);
        w.Text("known_good", e.KnownGood);
        w.Text("trial", e.Trial);
        w.Text("previous", e.Previous);
        w.Number("trial_boots", e.TrialBoots);
        w.Number("max_trial_boots", e.MaxTrialBoots);
        w.Text("reason", e.Reason);
        w.Text("prev", e.Prev);
        w.Text("hash", e.Hash);
        w.End();
    }

    private interface ILine
    {
        void Start();

        void Number(string name, long value);

        void Boolean(string name, bool value);

        void Text(string name, string? value);

        void End();
    }

    private readonly struct JsonLine(Utf8JsonWriter w) : ILine
    {
        public void Start() => w.WriteStartObject();

        public void Number(string name, long value) => w.WriteNumber(name, value);

        public void Boolean(string name, bool value) => w.WriteBoolean(name, value);

        public void Text(string name, string? value)
        {
            if (value is not null)
            {
                w.WriteString(name, value);
            }
        }

        public void End() => w.WriteEndObject();
    }

    // Names are plain, and so are the values (AllPlain): each is written between quotes as it is.
    private struct PlainLine(StringBuilder line) : ILine
    {
        private bool first = true;

        public readonly StringBuilder Line => line;

        public readonly void Start() => line.Append('{');

        public void Number(string name, long value) => Name(name).Append(value.ToString(CultureInfo.InvariantCulture));

        public void Boolean(string name, bool value) => Name(name).Append(value ? "true" : "false");

        public void Text(string name, string? value)
        {
            if (value is not null)
            {
                Name(name).Append('"').Append(value).Append('"');
            }
        }

        public readonly void End() => line.Append('}');

        private StringBuilder Name(string name)
        {
            line.Append(first ? "\"" : ",\"").Append(name).Append("\":");
            first = false;
            return line;
        }
    }

    /// <summary>
    /// The entry on <paramref name="line"/>, or null where JsonSerializer would have failed (not JSON, not
    /// an object, a value of the wrong type) or read a JSON null. Unknown keys are skipped and a repeated
    /// key's last value counts, as JsonSerializer does.
    /// </summary>
    public static HistoryEntry? TryParse(string line)
    {
        try
        {
            return Parse(Encoding.UTF8.GetBytes(line));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string whose escapes make invalid UTF-16 (a lone surrogate).
            return null;
        }
    }

    private static HistoryEntry? Parse(ReadOnlySpan<byte> utf8)
    {
        var r = new Utf8JsonReader(utf8);
        if (!r.Read())
        {
            throw new JsonException("empty");
        }

        if (r.TokenType == JsonTokenType.Null)
        {
            return End(ref r, null);
        }

        if (r.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("not an object");
        }

        var e = new HistoryEntry();
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var name = r;
            r.Read();
            e = name switch
            {
                _ when name.ValueTextEquals("seq"u8) => e with { Seq = Int64(ref r) },
                _ when name.ValueTextEquals("at"u8) => e with { At = String(ref r)! },
                _ when name.ValueTextEquals("trigger"u8) => e with { Trigger = String(ref r)! },
                _ when name.ValueTextEquals("event"u8) => e with { Event = String(ref r) },
                _ when name.ValueTextEquals("revision"u8) => e with { Revision = String(ref r) },
                _ when name.ValueTextEquals("force"u8) => e with { Force = Boolean(ref r) },
                _ when name.ValueTextEquals("slot"u8) => e with { Slot = String(ref r) },
                _ when name.ValueTextEquals("cause"u8) => e with { Cause = String(ref r) },
                _ when name.ValueTextEquals("from"u8) => e with { From = String(ref r)! },
                _ when name.ValueTextEquals("to"u8) => e with { To = String(ref r)! },
                _ when name.ValueTextEquals("generation"u8) => e with { Generation = Int64(ref r) },
                _ when name.ValueTextEquals("known_good"u8) => e with { KnownGood = String(ref r)! },
                _ when name.ValueTextEquals("trial"u8) => e with { Trial = String(ref r) },
                _ when name.ValueTextEquals("previous"u8) => e with { Previous = String(ref r) },
                _ when name.ValueTextEquals("trial_boots"u8) => e with { TrialBoots = Int32(ref r) },
                _ when name.ValueTextEquals("max_trial_boots"u8) => e with { MaxTrialBoots = Int32(ref r) },
                _ when name.ValueTextEquals("reason"u8) => e with { Reason = String(ref r)! },
                _ when name.ValueTextEquals("prev"u8) => e with { Prev = String(ref r)! },
                _ when name.ValueTextEquals("hash"u8) => e with { Hash = String(ref r) },
                _ => Skip(ref r, e),
            };
        }

        return End(ref r, e);
    }

    // The reader validates the whole input: nothing but white space may follow the value.
    private static HistoryEntry? End(ref Utf8JsonReader r, HistoryEntry? e)
    {
        if (r.TokenType is not (JsonTokenType.EndObject or JsonTokenType.Null) || r.Read())
        {
            throw new JsonException("more than one value");
        }

        return e;
    }

    private static HistoryEntry Skip(ref Utf8JsonReader r, HistoryEntry e)
    {
        r.Skip();
        return e;
    }

    private static string? String(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.String => r.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException("not a string"),
    };

    private static long Int64(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Number && r.TryGetInt64(out var n) ? n : throw new JsonException("not a whole number");

    private static int Int32(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.Number && r.TryGetInt32(out var n) ? n : throw new JsonException("not a whole number");

    private static bool? Boolean(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Null => null,
        _ => throw new JsonException("not a boolean"),
    };

    private static bool AllPlain(HistoryEntry e) =>
        Plain(e.At) && Plain(e.Trigger) && Plain(e.Event) && Plain(e.Revision) && Plain(e.Slot) && Plain(e.Cause) && Plain(e.From)
        && Plain(e.To) && Plain(e.KnownGood) && Plain(e.Trial) && Plain(e.Previous) && Plain(e.Reason) && Plain(e.Prev) && Plain(e.Hash);

    // Printable ASCII but the quote and the backslash: what every encoder writes as is but the HTML
    // characters (<, >, &, ', +, `), which the relaxed one also leaves.
    private static bool Plain(string? value) =>
        value is null || (!value.AsSpan().ContainsAnyExceptInRange(' ', '~') && !value.AsSpan().ContainsAny('"', '\\'));
}
