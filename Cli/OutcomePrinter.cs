using System.Text.Json;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Cli;

/// <summary>Prints what firing an event did, as text or JSON (every mutating command uses this).</summary>
public static class OutcomePrinter
{
    public static void Print(Outcome outcome, bool json)
    {
        var t = outcome.Transition;
        foreach (var warning in outcome.Warnings)
        {
            Console.Error.WriteLine($"webc-bootsafe: warning: {warning}");
        }

        if (json)
        {
            using var writer = new Utf8JsonWriter(Console.OpenStandardOutput());
            writer.WriteStartObject();
            writer.WriteString("event", t.Event.Trigger.ToString());
            writer.WriteString("from", t.Before.State.ToString());
            writer.WriteString("to", t.After.State.ToString());
            writer.WriteString("reason", t.Reason);
            writer.WriteStartArray("steps");
            outcome.Steps.ForEach(writer.WriteStringValue);
            writer.WriteEndArray();
            writer.WriteStartArray("warnings");
            outcome.Warnings.ForEach(writer.WriteStringValue);
            writer.WriteEndArray();
            writer.WriteString("reboot", outcome.RebootReason);
            writer.WriteEndObject();
            writer.Flush();
            Console.WriteLine();
            return;
        }

        Console.WriteLine($"{t.Event.Trigger}: {t.Before.State} -> {t.After.State} ({t.Reason})");
        foreach (var step in outcome.Steps)
        {
            Console.WriteLine("  " + step);
        }

        if (outcome.RebootReason is { } reboot)
        {
            Console.WriteLine("  reboot required: " + reboot);
        }
    }
}
