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

    public static void Object(Action<Utf8JsonWriter> body)
    {
        using (var writer = new Utf8JsonWriter(Console.OpenStandardOutput()))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
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
            w.WriteStartArray("output");
            foreach (var line in captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                w.WriteStringValue(line.TrimEnd('\r'));
            }

            w.WriteEndArray();
        });
        return code;
    }
}
