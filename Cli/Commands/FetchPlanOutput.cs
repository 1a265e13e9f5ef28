using Webc.BootSafe.Updates.Staging;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>Prints `fetch --plan` (<see cref="UpgradePlanner"/>): text, or one snake_case JSON object.</summary>
internal static class FetchPlanOutput
{
    public static int Print(UpgradePlan plan)
    {
        if (!JsonOutput.Enabled)
        {
            OutcomePrinter.Lines(plan.Lines());
            return ExitCodes.Ok;
        }

        JsonOutput.Write(new JsonObject
        {
            ["summary"] = plan.Summary,
            ["candidate"] = plan.Candidate?.Sha,
            ["known_good"] = plan.KnownGood.Sha,
            ["received_objects"] = plan.ReceivedObjects,
            ["received_bytes"] = plan.ReceivedBytes,
            ["kernel_changes"] = plan.KernelChanges,
            ["bytes_added"] = plan.BytesAdded,
            ["bytes_removed"] = plan.BytesRemoved,
            ["files"] = new JsonArray([.. plan.Changes.Select(c => new JsonObject
            {
                ["path"] = c.Path,
                ["change"] = c.Kind,
                ["old_size"] = c.OldSize,
                ["new_size"] = c.NewSize,
            })]),
        });
        return ExitCodes.Ok;
    }
}
