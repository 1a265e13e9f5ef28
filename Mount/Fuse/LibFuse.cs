using System.Runtime.InteropServices;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// libfuse3 entry points. fuse_new binds the 3.1 ABI by its explicit versioned name; fuse_loop is
/// the single-threaded loop (fastest per request: no thread hand-offs, and content is static).
/// </summary>
internal static unsafe partial class LibFuse
{
    private const string Library = "libfuse3.so.3";

    [LibraryImport(Library, EntryPoint = "fuse_new_31")]
    internal static partial nint New(FuseArgs* args, FuseOperations* operations, nuint operationsSize, nint privateData);

    [LibraryImport(Library, EntryPoint = "fuse_mount", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Mount(nint fuse, string mountPoint);

    [LibraryImport(Library, EntryPoint = "fuse_loop")]
    internal static partial int Loop(nint fuse);

    [LibraryImport(Library, EntryPoint = "fuse_unmount")]
    internal static partial void Unmount(nint fuse);

    [LibraryImport(Library, EntryPoint = "fuse_destroy")]
    internal static partial void Destroy(nint fuse);

    [LibraryImport(Library, EntryPoint = "fuse_get_context")]
    internal static partial FuseContext* GetContext();
}
