using System.Runtime.InteropServices;

namespace Webc.BootSafe.Updates.Confirm;

/// <summary>
/// Kills a whole process group: a check that hangs may have started children of its own, and they
/// must not outlive its timeout and keep holding the confirmation up.
/// </summary>
internal static partial class ProcessGroup
{
    private const int SigKill = 9;

    /// <summary>SIGKILL to every process in group <paramref name="groupId"/>; no error when it is already empty.</summary>
    public static void Kill(int groupId)
    {
        if (groupId > 1)
        {
            _ = KillNative(-groupId, SigKill);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);
}
