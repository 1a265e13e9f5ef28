using System.Runtime.InteropServices;

namespace Webc.BootSafe.Bootloader.Adv;

/// <summary>The real probe: statfs(2). f_type is the first field, a long, on every 64-bit Linux ABI.</summary>
public sealed partial class StatfsProbe : IFileSystemProbe
{
    public static StatfsProbe Instance { get; } = new();

    // struct statfs is 120 bytes on x86_64 and arm64; generous so no ABI can overrun it.
    private const int BufferLength = 256;

    public unsafe long FileSystemType(string path)
    {
        var buffer = stackalloc byte[BufferLength];
        if (Statfs(path, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"statfs {path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }

        return *(long*)buffer;
    }

    [LibraryImport("libc", EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statfs(string path, byte* buffer);
}
