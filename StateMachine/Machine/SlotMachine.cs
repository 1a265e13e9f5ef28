using System.Collections.Immutable;
using Stateless;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.StateMachine.Machine;

/// <summary>
/// The A/B slot machine. <see cref="Fire"/> is a pure function of the record and the event: Stateless
/// checks the event is permitted (guards carry their reasons), and the effect on the record and the
/// actions owed follow from the same classification. No I/O happens here; the caller persists the
/// new record and hands the actions to the Bootloader.
/// </summary>
public sealed class SlotMachine
{
    private readonly StateMachine<SlotState, SlotTrigger> _machine;
    private readonly StateMachine<SlotState, SlotTrigger>.TriggerWithParameters<Stage> _stage;
    private readonly StateMachine<SlotState, SlotTrigger>.TriggerWithParameters<BootObserved> _boot;
    private SlotRecord _record;

    private SlotMachine(SlotRecord record)
    {
        _record = record;
        _machine = new StateMachine<SlotState, SlotTrigger>(() => _record.State, s => _record = _record with { State = s });
        _stage = _machine.SetTriggerParameters<Stage>(SlotTrigger.Stage);
        _boot = _machine.SetTriggerParameters<BootObserved>(SlotTrigger.BootObserved);
        Configure();
    }

    /// <summary>Applies <paramref name="e"/> to <paramref name="record"/>; throws <see cref="TransitionRefusedException"/> when not allowed.</summary>
    public static Transition Fire(SlotRecord record, SlotEvent e, DateTimeOffset now)
    {
        var refusal = SlotRules.Refusal(record, e);
        if (refusal is not null)
        {
            throw new TransitionRefusedException(refusal);
        }

        var machine = new SlotMachine(record);
        machine.FireStateless(e);
        var effect = SlotEffects.Of(record, e, now);
        var after = effect.Record with { State = machine._record.State, Generation = record.Generation + 1 };
        return new Transition(e, record, after, effect.Actions, effect.Reason, now);
    }

    /// <summary>The configured machine, for graph export (`webc-bootsafe graph`).</summary>
    public static StateMachine<SlotState, SlotTrigger> Describe(SlotState initial = SlotState.Stable)
    {
        var any = SlotRecord.Initial(default) with { State = initial };
        return new SlotMachine(any)._machine;
    }

    private void FireStateless(SlotEvent e)
    {
        switch (e)
        {
            case Stage stage:
                _machine.Fire(_stage, stage);
                break;
            case BootObserved boot:
                _machine.Fire(_boot, boot);
                break;
            default:
                _machine.Fire(e.Trigger);
                break;
        }
    }

    private void Configure()
    {
        bool Is(BootObserved b, BootKind kind) => SlotRules.Classify(_record, b.Revision) == kind;
        bool Stageable(Stage s) => SlotRules.StageRefusal(_record, s) is null;

        _machine.Configure(SlotState.Stable)
            .PermitIf(_stage, SlotState.Staged, Stageable, "not known-good, not failed unless forced")
            .InternalTransitionIf(_boot, b => !Is(b, BootKind.FailedRevision), (_, _) => { }, "recorded")
            .InternalTransitionIf(_boot, b => Is(b, BootKind.FailedRevision), (_, _) => { }, "failed revision booted: disarm, reboot");

        _machine.Configure(SlotState.RolledBack)
            .PermitIf(_stage, SlotState.Staged, Stageable, "not known-good, not failed unless forced")
            .InternalTransitionIf(_boot, b => !Is(b, BootKind.FailedRevision), (_, _) => { }, "recorded")
            .InternalTransitionIf(_boot, b => Is(b, BootKind.FailedRevision), (_, _) => { }, "failed revision booted: disarm, reboot");

        _machine.Configure(SlotState.Staged)
            .Permit(SlotTrigger.Unstage, SlotState.Stable)
            .PermitIf(_boot, SlotState.Trying, b => Is(b, BootKind.TrialWithinBudget), "trial boot within budget")
            .PermitIf(_boot, SlotState.RolledBack, b => Is(b, BootKind.TrialOverBudget), "trial over budget")
            .PermitReentryIf(_boot, b => Is(b, BootKind.KnownGoodWithAttemptsLeft), "known-good booted, attempts left: re-arm")
            .PermitIf(_boot, SlotState.RolledBack, b => Is(b, BootKind.KnownGoodAttemptsUsed), "known-good booted, attempts used")
            .InternalTransitionIf(_boot, b => Is(b, BootKind.Recorded), (_, _) => { }, "other revision: recorded");

        _machine.Configure(SlotState.Trying)
            .Permit(SlotTrigger.HealthPassed, SlotState.Stable)
            .Permit(SlotTrigger.HealthFailed, SlotState.RolledBack)
            .InternalTransitionIf(_boot, b => Is(b, BootKind.TrialWithinBudget), (_, _) => { }, "trial boot within budget")
            .PermitIf(_boot, SlotState.RolledBack, b => Is(b, BootKind.TrialOverBudget), "trial over budget")
            .PermitIf(_boot, SlotState.Staged, b => Is(b, BootKind.KnownGoodWithAttemptsLeft), "known-good booted, attempts left: re-arm")
            .PermitIf(_boot, SlotState.RolledBack, b => Is(b, BootKind.KnownGoodAttemptsUsed), "known-good booted, attempts used")
            .InternalTransitionIf(_boot, b => Is(b, BootKind.Recorded), (_, _) => { }, "other revision: recorded");
    }
}
