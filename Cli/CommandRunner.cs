using Webc.BootSafe.StateMachine.Errors;

namespace Webc.BootSafe.Cli;

/// <summary>
/// Maps our exceptions to exit codes in one place, so every command reports errors the same way and
/// no stack trace reaches an operator's console for an expected failure.
/// </summary>
public static class CommandRunner
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (BadInputException e)
        {
            Console.Error.WriteLine($"webc-bootsafe: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (OperationFailedException e)
        {
            Console.Error.WriteLine($"webc-bootsafe: {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
