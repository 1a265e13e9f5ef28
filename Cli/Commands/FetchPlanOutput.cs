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

        foreach (var line in plan.Lines())
        {
            Console.WriteLine(line);
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
