using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Cli.Commands;

/// <summary><c>select</c>: run by the initramfs to decide which commit becomes the root.</summary>
public static class SelectCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var cmdline = Options.Cmdline($"Kernel command line file to read {BootArguments.RevisionKey}= and {BootArguments.SlotKey}= from");
        var command = new Command(
            "select",
            $$"""
            For the initramfs: record this boot and print the commit id to mount as the root.

            Reads {{BootArguments.RevisionKey}}= and {{BootArguments.SlotKey}}= from the kernel command line, loads the slot state
            from the medium (which must be mounted read-write), fires BootObserved and has the
            bootloader carry out the result (re-arm boot-once, disarm a spent trial).

            Exit codes:
              0  mount the printed revision. Also when the state is missing or unreadable: the
                 command line's revision is printed and the reason goes to stderr (never strands a boot).
              1  no revision at all: no {{BootArguments.RevisionKey}}= on the command line and no readable state.
              3  reboot requested: the booted trial used up its boots (or a failed revision came up);
                 boot-once is disarmed, so `reboot -f` now comes up in known-good. Known-good's id
                 is printed, so a script that ignores the code still mounts something sane.
            """)
        {
            cmdline,
        };
        command.SetAction(parse => SelectOnBootPath.Run(parse.GetValue(globals.Medium), parse.GetValue(cmdline)!, parse.GetValue(globals.Json), globals.FileSystems));
        return command;
    }
}
