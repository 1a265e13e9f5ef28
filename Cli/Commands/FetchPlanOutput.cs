using Webc.BootSafe.Updates.Staging;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>Prints `fetch --plan` (<see cref="UpgradePlanner"/>): text, or one snake_case JSON object.</summary>
internal static class FetchPlanOutput
{
    public static int Print(UpgradePlan plan)
    {
        if (JsonOutput.Enabled)
        {
            JsonOutput.Object(w =>
            {
                w.WriteString("summary", plan.Summary);
                w.WriteString("candidate", plan.Candidate?.Sha);
                w.WriteString("known_good", plan.KnownGood.Sha);
                w.WriteNumber("received_objects", plan.ReceivedObjects);
                w.WriteNumber("received_bytes", plan.ReceivedBytes);
                w.WriteBoolean("kernel_changes", plan.KernelChanges);
                w.WriteNumber("bytes_added", plan.BytesAdded);
                w.WriteNumber("bytes_removed", plan.BytesRemoved);
                w.WriteStartArray("files");
                foreach (var c in plan.Changes)
                {
                    w.WriteStartObject();
                    w.WriteString("path", c.Path);
                    w.WriteString("change", c.Kind);
                    WriteSize(w, "old_size", c.OldSize);
                    WriteSize(w, "new_size", c.NewSize);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return ExitCodes.Ok;
        }

        Console.WriteLine(plan.Summary);
        Console.WriteLine($"received {plan.ReceivedObjects} objects, {plan.ReceivedBytes} bytes");
        if (plan.Candidate is null)
        {
            return ExitCodes.Ok;
        }

        var count = (string kind) => plan.Changes.Count(c => c.Kind == kind);
        Console.WriteLine($"files: {count("added")} added ({plan.BytesAdded} bytes), {count("changed")} changed, {count("removed")} removed ({plan.BytesRemoved} bytes)");
        Console.WriteLine(plan.KernelChanges ? "kernel: changes (kernel or initrd differs from known-good)" : "kernel: unchanged");
        foreach (var c in plan.Changes)
        {
            Console.WriteLine($"{c.Kind,-8} {c.Path} {(c.OldSize is { } o ? o.ToString() : "-")} -> {(c.NewSize is { } n ? n.ToString() : "-")}");
        }

        return ExitCodes.Ok;
    }

    private static void WriteSize(System.Text.Json.Utf8JsonWriter w, string name, long? size)
    {
        if (size is { } s)
        {
            w.WriteNumber(name, s);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
