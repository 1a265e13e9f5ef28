using System.Text.Json;
using Webc.BootSafe.Fetch.Fleet;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.StateMachine.Slots;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Updates.Fleet;

/// <summary>
/// The medium session's <see cref="ITransitionObserver"/>: when config.yaml names report-url, each
/// transition worth telling the fleet (staged, trial booted, promoted, rolled back, unstaged, unfailed,
/// any other change of state) and each refusal is queued as a JSON report in the
/// <see cref="ReportOutbox"/>. No network here: `select` runs this on every boot, so when report-url
/// is not set the cost is one look at config.yaml's text, and a plain boot of known-good queues nothing.
/// <para>
/// Whether report-url is set is read by <see cref="ConfigFileScan"/>, and where it is not sure (a
/// config.yaml beyond the plain <c>key: value</c> form), by <paramref name="parse"/>. A boot's select
/// passes none, so its binary links no YAML parser: then a report is queued whenever config.yaml
/// mentions report-url, because a lost report (a trial booted, a rollback) is worse than a stray one,
/// which the bounded outbox keeps until report-url is set.
/// </para>
/// </summary>
public sealed class TransitionReports(MediumLayout layout, IMediumStorage storage, Func<string, string, bool>? parse) : ITransitionObserver
{
    /// <summary>The full reading of config.yaml (YamlDotNet) for <c>parse</c>: whether report-url is set and not blank.</summary>
    public static bool ParsedSetsReportUrl(string text, string path) =>
        ConfigFile.Parse(text, path).Any(s => s.Key == ParameterKeys.ReportUrl && !string.IsNullOrWhiteSpace(s.Value));

    public IReadOnlyList<string> Transitioned(Transition t)
    {
        var kind = Kind(t);
        if (kind is null)
        {
            return [];
        }

        var revision = t.Event switch
        {
            Stage s => s.Revision,
            Unfail u => u.Revision,
            _ => t.Before.Trial ?? t.After.Trial,
        };
        return Queue(kind, t.Event.Trigger.Name(), t.Before.State, t.After, revision, t.Reason, t.At);
    }

    public IReadOnlyList<string> Refused(SlotRecord record, string what, Revision? revision, string reason, DateTimeOffset at) =>
        Queue("refused", what, record.State, record, revision, reason, at);

    /// <summary>The report's kind, or null for a transition that changes nothing a fleet tracks (a plain boot).</summary>
    public static string? Kind(Transition t) => t switch
    {
        { Event: Stage } => "staged",
        { Event: Unstage } => "unstaged",
        { Event: Unfail } => "unfailed",
        { Before.State: SlotState.Trying, After.State: SlotState.Stable } => "promoted",
        { Before.State: not SlotState.RolledBack, After.State: SlotState.RolledBack } => "rolled_back",
        { Before.State: SlotState.Staged, After.State: SlotState.Trying } => "trial_booted",
        _ when t.Before.State != t.After.State => "state_changed",
        _ => null,
    };

    private IReadOnlyList<string> Queue(string kind, string trigger, SlotState from, SlotRecord after, Revision? revision, string reason, DateTimeOffset at)
    {
        try
        {
            if (!ReportingOn())
            {
                return [];
            }

            var key = Guid.NewGuid();
            var json = Body(key, kind, trigger, from, after, revision, reason, at, DeviceIdentity.ReadMachineId(layout));
            new ReportOutbox(layout, storage).Enqueue(key, json, at);
            return [];
        }
        catch (Exception e)
        {
            // Committed is committed: a report that cannot be queued must not fail the transition.
            return [$"{kind} report not queued: {e.Message.ReplaceLineEndings(" ")}"];
        }
    }

    /// <summary>Whether config.yaml names report-url; a cheap text test first, so most boots read no further.</summary>
    private bool ReportingOn()
    {
        var text = BoundedTextFile.ReadIfPresent(layout.ConfigFile, "configuration");
        if (text is null || !text.Contains(ParameterKeys.ReportUrl, StringComparison.Ordinal))
        {
            return false;
        }

        return ConfigFileScan.SetsReportUrl(text) ?? parse?.Invoke(text, layout.ConfigFile) ?? true;
    }

    private static byte[] Body(Guid key, string kind, string trigger, SlotState from, SlotRecord after, Revision? revision, string reason, DateTimeOffset at, string? machineId)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("idempotency_key", key.ToString("D"));
            w.WriteString("kind", kind);
            w.WriteString("event", trigger);
            w.WriteString("at", at.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("machine_id", machineId);
            w.WriteString("from_state", from.Name());
            w.WriteString("to_state", after.State.Name());
            w.WriteString("revision", revision?.Sha);
            w.WriteString("known_good", after.KnownGood.Sha);
            w.WriteString("trial", after.Trial?.Sha);
            w.WriteString("reason", reason);
            w.WriteNumber("generation", after.Generation);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
