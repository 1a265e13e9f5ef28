using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Cli;

/// <summary>Prints what firing an event did, as text or JSON (every mutating command uses this), and plain lines and notes.</summary>
public static class OutcomePrinter
{
    /// <summary>A progress line or warning of a use case, on stderr.</summary>
    public static void Note(string line) => Console.Error.WriteLine("webc-bootsafe: " + line);

    /// <summary>A report that is text, one line each, on stdout.</summary>
    public static void Lines(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }
    }

    public static void Print(Outcome outcome, bool json)
    {
        var t = outcome.Transition;
        foreach (var warning in outcome.Warnings)
        {
            Note($"warning: {warning}");
        }

        if (json)
        {
            JsonOutput.Write(new JsonObject
            {
                ["event"] = t.Event.Trigger.ToString(),
                ["from"] = t.Before.State.ToString(),
                ["to"] = t.After.State.ToString(),
                ["reason"] = t.Reason,
                ["steps"] = JsonOutput.Strings(outcome.Steps),
                ["warnings"] = JsonOutput.Strings(outcome.Warnings),
                ["reboot"] = outcome.RebootReason,
            });
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
