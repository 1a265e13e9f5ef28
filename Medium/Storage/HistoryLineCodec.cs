using System.Buffers;
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
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(HistoryEntry e)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("seq"u8, e.Seq);
            String(w, "at"u8, e.At);
            String(w, "trigger"u8, e.Trigger);
            String(w, "event"u8, e.Event);
            String(w, "revision"u8, e.Revision);
            if (e.Force is { } force)
            {
                w.WriteBoolean("force"u8, force);
            }

            String(w, "slot"u8, e.Slot);
            String(w, "cause"u8, e.Cause);
            String(w, "from"u8, e.From);
            String(w, "to"u8, e.To);
            w.WriteNumber("generation"u8, e.Generation);
            String(w, "known_good"u8, e.KnownGood);
            String(w, "trial"u8, e.Trial);
            String(w, "previous"u8, e.Previous);
            w.WriteNumber("trial_boots"u8, e.TrialBoots);
            w.WriteNumber("max_trial_boots"u8, e.MaxTrialBoots);
            String(w, "reason"u8, e.Reason);
            String(w, "prev"u8, e.Prev);
            String(w, "hash"u8, e.Hash);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
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

    private static void String(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
