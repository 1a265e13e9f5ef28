using Stateless.Graph;
using Webc.BootSafe.StateMachine.Machine;

namespace Webc.BootSafe.Cli.Commands;

/// <summary>`graph [--format mermaid|dot]`: the slot machine as Stateless exports it.</summary>
public static class GraphCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var format = Options.Of("--format", "mermaid (default) or dot", "mermaid");
        var command = new Command("graph", "Print the slot state machine's diagram (states, triggers, guards).") { format };
        command.SetAction(parse => CommandRunner.RunText(() =>
        {
            var info = SlotMachine.Describe().GetInfo();
            var chosen = parse.GetValue(format);
            Console.WriteLine(chosen switch
            {
                "mermaid" => MermaidGraph.Format(info),
                "dot" => UmlDotGraph.Format(info),
                _ => throw new BadInputException($"--format '{chosen}' is not known (use mermaid or dot)"),
            });
            return ExitCodes.Ok;
        }));
        return command;
    }
}
