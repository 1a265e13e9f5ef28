using System.Text.Json;

namespace Webc.BootSafe.Cli;

/// <summary>
/// The one home of --json on stdout: whether it was asked for, and one document per command (an
/// object; a list for a report that is a list), keys in snake_case like the records' (status,
/// history). An error is <c>{"error": {"message", "exit_code"}}</c>.
/// </summary>
public static class JsonOutput
{
    /// <summary>Set once, from the parse, before any command runs.</summary>
    public static bool Enabled { get; set; }

    /// <summary>
    /// Writes the document and a newline (a null value in it is written as JSON null); scrub and params
    /// indent theirs. Through Console.Out, so a caller that redirects it (WrapText, the in-process specs) sees it.
    /// </summary>
    public static void Write(JsonNode document, bool indented = false)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            document.WriteTo(writer);
        }

        Console.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>A JSON array of strings.</summary>
    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    public static void Error(string message, int exitCode) =>
        Write(new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["exit_code"] = exitCode } });

    /// <summary>
    /// For a command whose report is text only: its stdout lines as <c>{"exit_code", "output": [...]}</c>,
    /// so --json still yields one JSON object (stderr stays the log).
    /// </summary>
    public static int WrapText(Func<int> body)
    {
        var original = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(captured);
        int code;
        try
        {
            code = body();
        }
        finally
        {
            Console.SetOut(original);
        }

        var lines = captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'));
        Write(new JsonObject { ["exit_code"] = code, ["output"] = Strings(lines) });
        return code;
    }
}
