using System.Globalization;
using System.Text;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Slots;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Webc.BootSafe.Specs.Storage.Support;

/// <summary>
/// state.yaml as releases before issue 17 wrote and read it: YamlDotNet over these documents (the
/// shape the medium held then), underscored names, defaults kept. The oracle of StateYamlProperties:
/// what they wrote must still load, and what is written now must load in them.
/// </summary>
public static class LegacyStateYaml
{
    private const string Header = "# webc-bootsafe slot record. Do not edit: the checksum below guards every byte above it.\n";

    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.Preserve)
        .Build();

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <summary>The whole file a release before issue 17 wrote for <paramref name="r"/>.</summary>
    public static byte[] Encode(SlotRecord r)
    {
        var body = Encoding.UTF8.GetBytes(Header + Serializer.Serialize(ToDocument(r)));
        return [.. body, .. Encoding.UTF8.GetBytes("checksum: sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)) + "\n")];
    }

    /// <summary>What such a release reads from a whole file (checksum line aside), as the document.</summary>
    public static StateDocument Decode(byte[] file)
    {
        var text = Encoding.UTF8.GetString(file);
        return Deserializer.Deserialize<StateDocument>(text[..(text.LastIndexOf("\nchecksum: ", StringComparison.Ordinal) + 1)]);
    }

    public static StateDocument ToDocument(SlotRecord r) => new()
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

    private static string Time(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    public sealed class StateDocument
    {
        public long Generation { get; set; }

        public string State { get; set; } = "";

        public string KnownGood { get; set; } = "";

        public string? Trial { get; set; }

        public string? Previous { get; set; }

        public int TrialBoots { get; set; }

        public int MaxTrialBoots { get; set; }

        public List<FailedDocument> Failed { get; set; } = [];

        public int UnconfirmedKnownGoodBoots { get; set; }

        public BootDocument? LastBoot { get; set; }

        /// <summary>The document's fields as one line each, for comparing two documents.</summary>
        public string Describe() => string.Join('\n', [
            $"{Generation} {State} {KnownGood} {Trial ?? "<null>"} {Previous ?? "<null>"} {TrialBoots} {MaxTrialBoots} {UnconfirmedKnownGoodBoots}",
            .. Failed.Select(f => $"failed {f.Revision} [{f.Reason}] {f.At}"),
            LastBoot is { } b ? $"last {b.Revision} [{b.Slot ?? "<null>"}] {b.At}" : "last <null>",
        ]);
    }

    public sealed class FailedDocument
    {
        public string Revision { get; set; } = "";

        public string Reason { get; set; } = "";

        public string At { get; set; } = "";
    }

    public sealed class BootDocument
    {
        public string Revision { get; set; } = "";

        public string? Slot { get; set; }

        public string At { get; set; } = "";
    }
}
