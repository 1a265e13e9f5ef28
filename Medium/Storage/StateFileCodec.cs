using System.Globalization;
using System.Text;
using Webc.BootSafe.StateMachine.Slots;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

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

    // Each built on first use: a boot's select only decodes (issue 17: start-up on the boot path).
    private static readonly Lazy<ISerializer> Serializer = new(() => new StaticSerializerBuilder(new StateYamlContext())
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.Preserve)
        .Build());

    private static readonly Lazy<IDeserializer> Deserializer = new(() => new StaticDeserializerBuilder(new StateYamlContext())
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build());

    public static byte[] Encode(SlotRecord record)
    {
        var body = Header + Serializer.Value.Serialize(ToDocument(record));
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

        StateDocument? document;
        try
        {
            document = Deserializer.Value.Deserialize<StateDocument>(text[..(at + 1)]);
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidOperationException or FormatException)
        {
            throw new StateFileException("not a slot record: " + e.Message, e);
        }

        return FromDocument(document ?? throw new StateFileException("empty slot record"));
    }

    private static StateDocument ToDocument(SlotRecord r) => new()
    {
        Generation = r.Generation,
        State = r.State.ToString(),
        KnownGood = r.KnownGood.Sha,
        Trial = r.Trial?.Sha,
        Previous = r.Previous?.Sha,
        TrialBoots = r.TrialBoots,
        MaxTrialBoots = r.MaxTrialBoots,
        UnconfirmedKnownGoodBoots = r.UnconfirmedKnownGoodBoots,
        Failed = [.. r.Failed.Select(f => new FailedDocument { Revision = f.Revision.Sha, Reason = f.Reason, At = Time(f.At) })],
        LastBoot = r.LastBoot is { } b ? new BootDocument { Revision = b.Revision.Sha, Slot = b.Slot, At = Time(b.At) } : null,
    };

    private static SlotRecord FromDocument(StateDocument d)
    {
        if (!Enum.TryParse<SlotState>(d.State, ignoreCase: false, out var state) || !Enum.IsDefined(state))
        {
            throw new StateFileException($"unknown state '{d.State}'");
        }

        if (d.Generation < 1 || d.MaxTrialBoots < 1 || d.TrialBoots < 0 || d.UnconfirmedKnownGoodBoots < 0)
        {
            throw new StateFileException("generation, max_trial_boots, trial_boots or unconfirmed_known_good_boots out of range");
        }

        return new SlotRecord
        {
            Generation = d.Generation,
            State = state,
            KnownGood = Rev(d.KnownGood, "known_good"),
            Trial = d.Trial is null ? null : Rev(d.Trial, "trial"),
            Previous = d.Previous is null ? null : Rev(d.Previous, "previous"),
            TrialBoots = d.TrialBoots,
            MaxTrialBoots = d.MaxTrialBoots,
            UnconfirmedKnownGoodBoots = d.UnconfirmedKnownGoodBoots,
            Failed = [.. (d.Failed ?? []).Select(f => new FailedRevision(Rev(f.Revision, "failed revision"), f.Reason ?? "", ParseTime(f.At)))],
            LastBoot = d.LastBoot is { } b ? new ObservedBoot(Rev(b.Revision, "last_boot revision"), b.Slot, ParseTime(b.At)) : null,
        };
    }

    private static Revision Rev(string? text, string field) =>
        Revision.TryParse(text, out var revision) ? revision : throw new StateFileException($"{field} '{text}' is not a 40-hex commit id");

    internal static string Time(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    internal static DateTimeOffset ParseTime(string? text) =>
        DateTimeOffset.TryParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? at
            : throw new StateFileException($"time '{text}' is not an ISO-8601 round-trip time");
}
