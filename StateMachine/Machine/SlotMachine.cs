using Stateless;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.StateMachine.Machine;

/// <summary>
/// The A/B slot machine. <see cref="Fire"/> is a pure function of the record and the event: Stateless,
/// configured from <see cref="SlotTable"/>, picks the one row whose guard admits the event (or refuses
/// it with the unmet guard's text), moves the state, and the row's effect gives the new record and the
/// actions owed. No I/O happens here; the caller persists the new record and hands the actions on.
/// </summary>
public sealed class SlotMachine
{
    private readonly StateMachine<MachineState, SlotTrigger> _machine;
    private readonly Dictionary<SlotTrigger, StateMachine<MachineState, SlotTrigger>.TriggerWithParameters<SlotEvent>> _triggers = [];
    private readonly SlotRecord _before;
    private readonly List<string> _unmet = [];
    private MachineState _state;
    private SlotRow? _taken;

    // A machine that fires one event is configured with that trigger's rows only: the other rows
    // cannot be taken, and configuring all of them (a guard's reflection each) cost every boot (issue 17).
    // The graph is configured with every trigger.
    private SlotMachine(SlotRecord record, SlotTrigger? only)
    {
        _before = record;
        _state = (MachineState)record.State;
        _machine = new StateMachine<MachineState, SlotTrigger>(() => _state, s => _state = s);
        foreach (var trigger in only is { } one ? [one] : Enum.GetValues<SlotTrigger>())
        {
            _triggers[trigger] = _machine.SetTriggerParameters<SlotEvent>(trigger);
        }

        Configure();
    }

    /// <summary>Applies <paramref name="e"/> to <paramref name="record"/>; throws <see cref="TransitionRefusedException"/> when not allowed.</summary>
    public static Transition Fire(SlotRecord record, SlotEvent e, DateTimeOffset now)
    {
        var machine = new SlotMachine(record, e.Trigger);
        machine._machine.OnUnhandledTrigger((_, _, _) => throw new TransitionRefusedException(machine.RefusalOf(e)));
        machine._machine.Fire(machine._triggers[e.Trigger], e);
        var row = machine._taken ?? throw new InvalidOperationException($"Stateless took {e.Trigger} without a row admitting it");
        var effect = row.Effect(record, e, now);
        var after = effect.Record with { State = (SlotState)machine._state, Generation = record.Generation + 1 };
        return new Transition(e, record, after, effect.Actions, effect.Reason, now);
    }

    /// <summary>Why <paramref name="e"/> is not allowed on <paramref name="record"/>, or null when it is (nothing is fired).</summary>
    public static string? Refusal(SlotRecord record, SlotEvent e)
    {
        var machine = new SlotMachine(record, e.Trigger);
        return machine._machine.CanFire(machine._triggers[e.Trigger], e) ? null : machine.RefusalOf(e);
    }

    /// <summary>The configured machine, for graph export (`webc-bootsafe graph`).</summary>
    public static StateMachine<MachineState, SlotTrigger> Describe(SlotState initial = SlotState.Stable) =>
        new SlotMachine(SlotRecord.Initial(default) with { State = initial }, only: null)._machine;

    // The first unmet guard says why in its own words; a trigger with no row here has the table's text.
    private string RefusalOf(SlotEvent e) => _unmet.FirstOrDefault() ?? SlotTable.NotHere(_before, e);

    private void Configure()
    {
        _machine.Configure(MachineState.Stable).SubstateOf(MachineState.Settled);
        _machine.Configure(MachineState.RolledBack).SubstateOf(MachineState.Settled);
        foreach (var row in SlotTable.Rows)
        {
            if (!_triggers.TryGetValue(row.Trigger, out var trigger))
            {
                continue;
            }

            var state = _machine.Configure(row.From);
            bool Admits(SlotEvent e) => Admit(row, e);
            if (row.To is not { } to)
            {
                state.InternalTransitionIf(trigger, Admits, (_, _) => { }, row.Label);
            }
            else if (to == row.From)
            {
                state.PermitReentryIf(trigger, Admits, row.Label);
            }
            else
            {
                state.PermitIf(trigger, to, Admits, row.Label);
            }
        }
    }

    // Stateless asks every row of the trigger in the state; the table's guards are exclusive, so the one
    // that admits is the row taken, and the others leave their refusal text.
    private bool Admit(SlotRow row, SlotEvent e)
    {
        if (row.Guard.Unmet(_before, e) is { } why)
        {
            _unmet.Add(why);
            return false;
        }

        _taken = row;
        return true;
    }
}
