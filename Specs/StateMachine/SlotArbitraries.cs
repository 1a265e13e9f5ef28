using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Webc.BootSafe.StateMachine.Machine;

namespace Webc.BootSafe.Specs.StateMachine;

/// <summary>FsCheck generators for machine lives, and for a life plus a damage position.</summary>
public static class SlotArbitraries
{
    private static readonly string[] Reasons =
    [
        "browser did not start", "", "colon: and # hash", "quote \" and 'single'", "line\nbreak", "ünïcødé ✓", "  padded  ", "- dash", "null", "yes",
    ];

    public static Gen<Step> StepGen { get; } =
        from trigger in Gen.Frequency(
            (3, Gen.Constant(SlotTrigger.Stage)),
            (1, Gen.Constant(SlotTrigger.Unstage)),
            (6, Gen.Constant(SlotTrigger.BootObserved)),
            (2, Gen.Constant(SlotTrigger.HealthPassed)),
            (2, Gen.Constant(SlotTrigger.HealthFailed)),
            (2, Gen.Constant(SlotTrigger.KnownGoodCameUp)))
        from target in Gen.Frequency(
            (4, Gen.Constant(Target.Trial)),
            (4, Gen.Constant(Target.KnownGood)),
            (1, Gen.Constant(Target.Previous)),
            (2, Gen.Constant(Target.Failed)),
            (3, Gen.Constant(Target.Pool)))
        from pool in Gen.Choose(0, 4)
        from force in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from reason in Gen.Elements(Reasons)
        select new Step(trigger, target, pool, force, reason);

    public static Gen<Scenario> ScenarioGen { get; } =
        from max in Gen.Frequency((3, Gen.Constant(1)), (1, Gen.Choose(2, 3)))
        from length in Gen.Choose(0, 50)
        from steps in Gen.ListOf(StepGen, length)
        select new Scenario(max, [.. steps]);

    public static Arbitrary<Scenario> Scenario() => ScenarioGen.ToArbitrary();

    public static Arbitrary<Damaged> Damaged() =>
        (from s in ScenarioGen
         from cut in Gen.Elements(true, false)
         from position in Gen.Choose(0, int.MaxValue - 1)
         from xor in Gen.Choose(1, 255)
         select new Damaged(s, cut, position, (byte)xor)).ToArbitrary();
}

/// <summary>A life, then one file cut at <see cref="Position"/> (mod its length) or that byte XORed with <see cref="Xor"/>.</summary>
public sealed record Damaged(Scenario Scenario, bool Cut, int Position, byte Xor)
{
    public byte[] Apply(byte[] content)
    {
        var at = Position % content.Length;
        if (Cut)
        {
            return content[..at];
        }

        var copy = content.ToArray();
        copy[at] ^= Xor;
        return copy;
    }
}
