using System.Globalization;
using System.Text;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Medium.Storage;

/// <summary>
/// Slot record &lt;-&gt; state.yaml bytes. The file ends with <c>checksum: sha256:&lt;hex&gt;</c> over every
/// byte before that line, so a cut or a flipped byte anywhere is detected before YAML parsing, and
/// a record that passes is exactly the record written.
/// </summary>
public static class StateFileCodec
{
    private const string ChecksumKey = "checksum: sha256:";
    private const string Header = "# webc-bootsafe slot record. Do not edit: the checksum below guards every byte above it.\n";

    public static byte[] Encode(SlotRecord record)
    {
        var body = Header + Write(record);
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var trailer = Encoding.UTF8.GetBytes(ChecksumKey + Sha256.HexOf(bodyBytes) + "\n");
        return [.. bodyBytes, .. trailer];
    }

    /// <summary>The record in <paramref name="bytes"/>; throws <see cref="StateFileException"/> saying what is wrong.</summary>
    public static SlotRecord Decode(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var at = text.LastIndexOf("\n" + ChecksumKey, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new StateFileException("no checksum line (the file was cut short or is not a BootSafe state file)");
        }

        var bodyLength = Encoding.UTF8.GetByteCount(text.AsSpan(0, at + 1));
        var expected = Sha256.HexOf(bytes[..bodyLength]);
        var trailer = text[(at + 1)..];
        if (trailer != ChecksumKey + expected + "\n")
        {
            throw new StateFileException("checksum mismatch (torn write or corrupted bytes)");
        }

        return Read(StateYamlReader.Read(text[..(at + 1)]));
    }

    private static string Write(SlotRecord r)
    {
        var w = new StateYamlWriter()
            .Number("generation", r.Generation)
            .Value("state", r.State.Name())
            .Value("known_good", r.KnownGood.Sha)
            .Value("trial", r.Trial?.Sha)
            .Value("previous", r.Previous?.Sha)
            .Number("trial_boots", r.TrialBoots)
            .Number("max_trial_boots", r.MaxTrialBoots);
        if (r.Failed.IsEmpty)
        {
            w.EmptyList("failed");
        }
        else
        {
            w.Key("failed");
            foreach (var f in r.Failed)
            {
                w.Item().Value("revision", f.Revision.Sha, 2).Value("reason", f.Reason, 2).Value("at", Time(f.At), 2);
            }
        }

        w.Number("unconfirmed_known_good_boots", r.UnconfirmedKnownGoodBoots);
        if (r.LastBoot is { } b)
        {
            w.Key("last_boot").Value("revision", b.Revision.Sha, 2).Value("slot", b.Slot, 2).Value("at", Time(b.At), 2);
        }
        else
        {
            w.Value("last_boot", null);
        }

        return w.ToString();
    }

    // As YamlDotNet's deserializer read it before issue 17: unknown or repeated keys refused, missing
    // ones left at their defaults (which the range checks then refuse where a value is required).
    private static SlotRecord Read(YamlMap root)
    {
        var fields = Fields(root, "the record", RecordKeys);
        var stateText = Text(fields, "state") ?? "";
        if (!SlotNames.TryParseState(stateText, out var state))
        {
            throw new StateFileException($"unknown state '{stateText}'");
        }

        var generation = Number(fields, "generation");
        var maxTrialBoots = Number(fields, "max_trial_boots");
        var trialBoots = Number(fields, "trial_boots");
        var unconfirmed = Number(fields, "unconfirmed_known_good_boots");
        if (generation < 1 || maxTrialBoots < 1 || trialBoots < 0 || unconfirmed < 0
            || maxTrialBoots > int.MaxValue || trialBoots > int.MaxValue || unconfirmed > int.MaxValue)
        {
            throw new StateFileException("generation, max_trial_boots, trial_boots or unconfirmed_known_good_boots out of range");
        }

        return new SlotRecord
        {
            Generation = generation,
            State = state,
            KnownGood = Rev(Text(fields, "known_good") ?? "", "known_good"),
            Trial = Text(fields, "trial") is { } trial ? Rev(trial, "trial") : null,
            Previous = Text(fields, "previous") is { } previous ? Rev(previous, "previous") : null,
            TrialBoots = (int)trialBoots,
            MaxTrialBoots = (int)maxTrialBoots,
            UnconfirmedKnownGoodBoots = (int)unconfirmed,
            Failed = [.. Items(fields, "failed").Select(item =>
            {
                var f = Fields(item, "a failed revision", FailedKeys);
                return new FailedRevision(Rev(Text(f, "revision") ?? "", "failed revision"), Text(f, "reason") ?? "", ParseTime(Text(f, "at") ?? ""));
            })],
            LastBoot = fields.GetValueOrDefault("last_boot") is YamlMap boot && Fields(boot, "last_boot", BootKeys) is var b
                ? new ObservedBoot(Rev(Text(b, "revision") ?? "", "last_boot revision"), Text(b, "slot"), ParseTime(Text(b, "at") ?? ""))
                : null,
        };
    }

    private static readonly string[] RecordKeys =
        ["generation", "state", "known_good", "trial", "previous", "trial_boots", "max_trial_boots", "failed", "unconfirmed_known_good_boots", "last_boot"];

    private static readonly string[] FailedKeys = ["revision", "reason", "at"];

    private static readonly string[] BootKeys = ["revision", "slot", "at"];

    private static Dictionary<string, YamlNode> Fields(YamlNode node, string what, string[] known)
    {
        if (node is not YamlMap map)
        {
            throw new StateFileException($"not a slot record: {what} is not a mapping");
        }

        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            if (!known.Contains(key) || !fields.TryAdd(key, value))
            {
                throw new StateFileException($"not a slot record: {what} has {(known.Contains(key) ? "a repeated" : "an unknown")} key '{key}'");
            }
        }

        return fields;
    }

    private static string? Text(Dictionary<string, YamlNode> fields, string key) => fields.GetValueOrDefault(key) switch
    {
        null => null,
        YamlScalar s => s.Value,
        _ => throw new StateFileException($"not a slot record: '{key}' is not a single value"),
    };

    private static long Number(Dictionary<string, YamlNode> fields, string key) => Text(fields, key) switch
    {
        null => 0,
        var text when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
        var text => throw new StateFileException($"not a slot record: '{key}' is '{text}', not a number"),
    };

    private static IReadOnlyList<YamlNode> Items(Dictionary<string, YamlNode> fields, string key) => fields.GetValueOrDefault(key) switch
    {
        null or YamlScalar { Value: null } => [],
        YamlList list => list.Items,
        _ => throw new StateFileException($"not a slot record: '{key}' is not a list"),
    };

    private static Revision Rev(string? text, string field) =>
        Revision.TryParse(text, out var revision) ? revision : throw new StateFileException($"{field} '{text}' is not a 40-hex commit id");

    internal static string Time(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    internal static DateTimeOffset ParseTime(string? text) =>
        DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? at
            : throw new StateFileException($"time '{text}' is not an ISO-8601 round-trip time");
}
