using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Webc.BootSafe.Medium.Storage;

/// <summary>Source-generated JSON for the CLI's views of the record and history (NativeAOT-safe).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(RecordView))]
[JsonSerializable(typeof(HistoryReport))]
public sealed partial class RecordJsonContext : JsonSerializerContext
{
    /// <summary>As <see cref="JsonSerializerContext"/>'s default, but times keep their '+' unescaped.</summary>
    public static RecordJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    });
}
