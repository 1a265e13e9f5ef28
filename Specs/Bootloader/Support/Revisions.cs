using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Specs.Bootloader.Support;

public static class Revisions
{
    /// <summary>A distinct full commit id per number.</summary>
    public static Revision Of(int n) => Revision.Parse(n.ToString("x8").PadLeft(40, 'a'));
}
