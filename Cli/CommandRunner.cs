using Webc.BootSafe.StateMachine.Machine;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Cli;

/// <summary>
/// Maps every exception to an exit code and one line on stderr, in one place, so every command
/// reports errors the same way and no stack trace reaches an operator's console or the journal.
/// WEBC_BOOTSAFE_DEBUG=1 adds the trace of an unexpected one, for a developer.
/// </summary>
public static class CommandRunner
{
    public const string DebugVariable = "WEBC_BOOTSAFE_DEBUG";

    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            var (code, message) = Classify(e);
            Console.Error.WriteLine(JournalStream.Error($"webc-bootsafe: {message}"));
            if (JsonOutput.Enabled)
            {
                JsonOutput.Error(message, code);
            }

            if (code == ExitCodes.Failed && Unexpected(e) && Environment.GetEnvironmentVariable(DebugVariable) == "1")
            {
                Console.Error.WriteLine(e);
            }

            return code;
        }
    }

    /// <summary>
    /// For a command whose report is text only: as <see cref="Run"/>, and with --json its stdout
    /// becomes one JSON object (<see cref="JsonOutput.WrapText"/>); an error is JSON either way.
    /// </summary>
    public static int RunText(Func<int> body) => Run(() => JsonOutput.Enabled ? JsonOutput.WrapText(body) : body());

    public static (int Code, string Message) Classify(Exception e) => e switch
    {
        BadInputException or InvalidRevisionException => (ExitCodes.BadInput, OneLine(e.Message)),
        OperationFailedException or TransitionRefusedException => (ExitCodes.Failed, OneLine(e.Message)),
        IOException or UnauthorizedAccessException when ReadOnly(e) => (ExitCodes.Failed, $"Not a writable boot medium ({OneLine(e.Message)})"),
        IOException or UnauthorizedAccessException => (ExitCodes.Failed, OneLine(e.Message)),
        OutOfMemoryException => (ExitCodes.Failed, "out of memory (an input is larger than this machine can hold)"),
        _ when e.GetType().FullName?.StartsWith("LibGit2Sharp.", StringComparison.Ordinal) == true => (ExitCodes.Failed, "git: " + OneLine(e.Message)),
        _ => (ExitCodes.Failed, $"unexpected {e.GetType().Name}: {OneLine(e.Message)} (set {DebugVariable}=1 for the trace)"),
    };

    private static bool Unexpected(Exception e) =>
        e is not (BadInputException or InvalidRevisionException or OperationFailedException or TransitionRefusedException);

    // EROFS: "Read-only file system" is how .NET words errno 30.
    private static bool ReadOnly(Exception e) => e.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase);

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
