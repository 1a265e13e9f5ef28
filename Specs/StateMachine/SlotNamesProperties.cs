using FsCheck.Xunit;
using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Specs.StateMachine;

/// <summary>
/// SlotNames (the boot path's names without enum reflection) against the runtime's own: every member
/// named as ToString names it, and any text, a name or not, parsed to the state Enum.TryParse and
/// Enum.IsDefined give, or refused where they refuse.
/// </summary>
public sealed class SlotNamesProperties
{
    [Fact]
    public void Names_every_state_and_trigger_as_the_runtime_does()
    {
        Assert.All(Enum.GetValues<SlotState>(), s => Assert.Equal(s.ToString(), s.Name()));
        Assert.All(Enum.GetValues<SlotTrigger>(), t => Assert.Equal(t.ToString(), t.Name()));
        Assert.Equal("7", ((SlotState)7).Name());
    }

    [Property(MaxTest = 1000)]
    public void Parses_a_state_as_the_runtime_does(string? text, byte which, bool mangle)
    {
        var names = Enum.GetNames<SlotState>();
        var input = text is null || !mangle ? names[which % names.Length] : which % 3 == 0 ? names[which % names.Length] + text : text;
        var expected = Enum.TryParse<SlotState>(input, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed);

        Assert.Equal(expected, SlotNames.TryParseState(input, out var state));
        if (expected)
        {
            Assert.Equal(parsed, state);
        }
    }

    [Theory]
    [InlineData("stable")]
    [InlineData(" Stable")]
    [InlineData("1")]
    [InlineData("9")]
    [InlineData("Stable, Staged")]
    [InlineData("")]
    public void Parses_the_runtime_s_odd_cases_as_the_runtime_does(string input)
    {
        var expected = Enum.TryParse<SlotState>(input, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed);
        Assert.Equal(expected, SlotNames.TryParseState(input, out var state));
        Assert.Equal(expected ? parsed : default, expected ? state : default);
    }
}
