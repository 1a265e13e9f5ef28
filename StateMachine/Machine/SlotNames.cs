using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.StateMachine.Machine;

/// <summary>
/// The names of states and triggers as written to state.yaml, history.log and reports, without the
/// runtime's enum reflection: a NativeAOT process builds its enum tables at the first
/// <c>ToString</c> or <c>Enum.TryParse</c>, a cost every boot paid (issue 17). The names are the
/// members' own (<c>nameof</c>); Specs/StateMachine/SlotNamesProperties.cs checks them against the runtime's.
/// </summary>
public static class SlotNames
{
    public static string Name(this SlotState state) => state switch
    {
        SlotState.Stable => nameof(SlotState.Stable),
        SlotState.Staged => nameof(SlotState.Staged),
        SlotState.Trying => nameof(SlotState.Trying),
        SlotState.RolledBack => nameof(SlotState.RolledBack),
        _ => state.ToString(),
    };

    public static string Name(this SlotTrigger trigger) => trigger switch
    {
        SlotTrigger.Stage => nameof(SlotTrigger.Stage),
        SlotTrigger.Unstage => nameof(SlotTrigger.Unstage),
        SlotTrigger.BootObserved => nameof(SlotTrigger.BootObserved),
        SlotTrigger.HealthPassed => nameof(SlotTrigger.HealthPassed),
        SlotTrigger.HealthFailed => nameof(SlotTrigger.HealthFailed),
        SlotTrigger.Unfail => nameof(SlotTrigger.Unfail),
        SlotTrigger.KnownGoodCameUp => nameof(SlotTrigger.KnownGoodCameUp),
        _ => trigger.ToString(),
    };

    /// <summary>
    /// A defined state named by <paramref name="text"/>, as <c>Enum.TryParse</c> (case-sensitive) and
    /// <c>Enum.IsDefined</c> take it: an exact name directly, anything else (a number, spaces, a
    /// comma list) by the runtime, so what was accepted before still is.
    /// </summary>
    public static bool TryParseState(string text, out SlotState state)
    {
        switch (text)
        {
            case nameof(SlotState.Stable): state = SlotState.Stable; return true;
            case nameof(SlotState.Staged): state = SlotState.Staged; return true;
            case nameof(SlotState.Trying): state = SlotState.Trying; return true;
            case nameof(SlotState.RolledBack): state = SlotState.RolledBack; return true;
            default: return Enum.TryParse(text, ignoreCase: false, out state) && Enum.IsDefined(state);
        }
    }
}
