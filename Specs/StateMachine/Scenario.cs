using System.Collections.Immutable;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Specs.StateMachine;

/// <summary>Who a generated boot or stage targets, resolved against the record at the time it fires.</summary>
public enum Target
{
    Trial,
    KnownGood,
    Previous,
    Failed,
    Pool,
}

/// <summary>One generated trigger, symbolic so random sequences reach the interesting transitions.</summary>
public sealed record Step(SlotTrigger Trigger, Target Target, int Pool, bool Force, string Reason);

/// <summary>A random machine life: its trial budget and up to 50 triggers.</summary>
public sealed record Scenario(int MaxTrialBoots, ImmutableList<Step> Steps)
{
    public static readonly ImmutableArray<Revision> Revisions =
    [
        .. Enumerable.Range(0, 5).Select(i => Revision.Parse(string.Concat(Enumerable.Repeat($"{i:x}{i + 10:x}", 20)))),
    ];

    public static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1));

    public override string ToString() =>
        $"max {MaxTrialBoots}: " + string.Join(", ", Steps.Select(s => $"{s.Trigger}({s.Target}{(s.Target == Target.Pool ? s.Pool : "")}{(s.Force ? ",force" : "")})"));

    public SlotEvent Resolve(Step step, SlotRecord r)
    {
        Revision Pick() => step.Target switch
        {
            Target.Trial when r.Trial is { } t => t,
            Target.KnownGood => r.KnownGood,
            Target.Previous when r.Previous is { } p => p,
            Target.Failed when r.Failed.Count > 0 => r.Failed[step.Pool % r.Failed.Count].Revision,
            _ => Revisions[step.Pool],
        };

        return step.Trigger switch
        {
            SlotTrigger.Stage => new Stage(Pick(), step.Force),
            SlotTrigger.Unstage => new Unstage(),
            SlotTrigger.BootObserved => new BootObserved(Pick(), step.Target switch
            {
                Target.Trial => "trial",
                Target.KnownGood => "good",
                Target.Previous => "previous",
                _ => null,
            }),
            SlotTrigger.HealthPassed => new HealthPassed(),
            SlotTrigger.KnownGoodCameUp => new KnownGoodCameUp(),
            _ => new HealthFailed(step.Reason),
        };
    }

    /// <summary>Fires every step from init; refused steps leave the record as it was.</summary>
    public IEnumerable<Fired> Run()
    {
        var record = SlotRecord.Initial(Revisions[0], MaxTrialBoots);
        var now = Start;
        foreach (var step in Steps)
        {
            now = now.AddMinutes(1).AddTicks(step.Pool * 7);
            var e = Resolve(step, record);
            Transition? t = null;
            string? refusal = null;
            try
            {
                t = SlotMachine.Fire(record, e, now);
            }
            catch (TransitionRefusedException ex)
            {
                refusal = ex.Message;
            }

            yield return new Fired(record, e, t, refusal, now);
            record = t?.After ?? record;
        }
    }

    public SlotRecord Final() => Run().LastOrDefault() is { } last ? last.Transition?.After ?? last.Before : SlotRecord.Initial(Revisions[0], MaxTrialBoots);
}

/// <summary>One step as it happened: the record before, the event, and the transition or its refusal.</summary>
public sealed record Fired(SlotRecord Before, SlotEvent Event, Transition? Transition, string? Refusal, DateTimeOffset At);
