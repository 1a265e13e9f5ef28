namespace Webc.BootSafe.StateMachine.Slots;

/// <summary>
/// The extlinux labels BootSafe owns. The booted label reaches the initramfs as
/// <c>bootsafe.slot=LABEL</c> on the kernel command line.
/// </summary>
public enum SlotLabel
{
    Good,
    Trial,
    Previous,
}

public static class SlotLabels
{
    public static string Name(this SlotLabel label) => label switch
    {
        SlotLabel.Good => "good",
        SlotLabel.Trial => "trial",
        SlotLabel.Previous => "previous",
        _ => throw new ArgumentOutOfRangeException(nameof(label)),
    };

    public static SlotLabel? FromName(string? name) => name switch
    {
        "good" => SlotLabel.Good,
        "trial" => SlotLabel.Trial,
        "previous" => SlotLabel.Previous,
        _ => null,
    };
}
