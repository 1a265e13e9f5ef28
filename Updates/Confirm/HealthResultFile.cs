using System.Text.Json;
using System.Text.Json.Serialization;

namespace Webc.BootSafe.Updates.Confirm;

/// <summary>What the check half of confirm found, for the verdict half: which trial, and whether it passed.</summary>
public sealed record HealthResult(string Trial, bool Passed, string Reason, DateTimeOffset At);

/// <summary>
/// The check result handed from webc-bootsafe-check.service (before boot-complete.target) to the
/// verdict (after it, or on its failure). It lives on /run, so it never outlives the boot that
/// produced it; it is replaced whole (temp + rename), so the verdict never reads half of one.
/// </summary>
public sealed class HealthResultFile(string path)
{
    public const string DefaultPath = "/run/webc-bootsafe/health.json";

    public string Path { get; } = path;

    public void Write(HealthResult result)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        var temp = Path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(result, HealthResultJsonContext.Default.HealthResult) + "\n");
        File.Move(temp, Path, overwrite: true);
    }

    public void Delete()
    {
        if (File.Exists(Path))
        {
            File.Delete(Path);
        }
    }

    /// <summary>The result, or null when there is none or it is unreadable (the check did not finish).</summary>
    public HealthResult? Read()
    {
        try
        {
            return File.Exists(Path) ? JsonSerializer.Deserialize(File.ReadAllText(Path), HealthResultJsonContext.Default.HealthResult) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(HealthResult))]
internal sealed partial class HealthResultJsonContext : JsonSerializerContext;
