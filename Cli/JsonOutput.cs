using System.Text.Json;

namespace Webc.BootSafe.Cli;

/// <summary>
/// The one home of --json on stdout: whether it was asked for, and one object per command, keys in
/// snake_case like the records' (status, history). An error is <c>{"error": {"message", "exit_code"}}</c>.
/// </summary>
public static class JsonOutput
{
    /// <summary>Set once, from the parse, before any command runs.</summary>
    public static bool Enabled { get; set; }

    public static void Object(Action<Utf8JsonWriter> body) => Document(w => w.WriteStartObject(), body, w => w.WriteEndObject());

    /// <summary>For a report that is a list (explain): one array.</summary>
    public static void List(Action<Utf8JsonWriter> body) => Document(w => w.WriteStartArray(), body, w => w.WriteEndArray());

    /// <summary>An array of strings named <paramref name="name"/>.</summary>
    public static void Strings(this Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static void Document(Action<Utf8JsonWriter> start, Action<Utf8JsonWriter> body, Action<Utf8JsonWriter> end)
    {
        using (var writer = new Utf8JsonWriter(Console.OpenStandardOutput()))
        {
            start(writer);
            body(writer);
            end(writer);
            writer.Flush();
        }

        Console.WriteLine();
    }

    public static void Error(string message, int exitCode) => Object(w =>
    {
        w.WriteStartObject("error");
        w.WriteString("message", message);
        w.WriteNumber("exit_code", exitCode);
        w.WriteEndObject();
    });

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

        Object(w =>
        {
            w.WriteNumber("exit_code", code);
            w.Strings("output", captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
        });
        return code;
    }
}
