using System.Runtime.InteropServices;

namespace Webc.BootSafe.Fetch.Verification.Native;

/// <summary>
/// The few libgit2 entry points BootSafe calls itself. LibGit2Sharp marshals <c>git_buf</c> as a class,
/// which NativeAOT copies in but never back out, so its buffer-returning APIs (ExtractSignature among
/// them) come back empty in the AOT binary the kiosk runs. These signatures are blittable, so JIT and
/// AOT behave the same. The library is the one LibGit2Sharp.NativeBinaries ships (and LibGit2Sharp loads).
/// </summary>
internal static unsafe partial class LibGit2Native
{
    /// <summary>LibGit2Sharp.NativeBinaries 2.0.324's file name; a spec checks it against the package.</summary>
    public const string Library = "git2-5853918";

    public const int NotFound = -3;

    [StructLayout(LayoutKind.Sequential)]
    public struct GitBuf
    {
        public byte* Ptr;
        public nuint Reserved;
        public nuint Size;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct GitError
    {
        public byte* Message;
        public int Class;
    }

    /// <summary>git_libgit2_opts options (libgit2's git_libgit2_opt_t, 1.7 and later).</summary>
    private const int OptSetServerConnectTimeout = 39;
    private const int OptSetServerTimeout = 41;

    [LibraryImport(Library)]
    public static partial int git_libgit2_init();

    // Variadic in C; with int arguments only, a fixed two-int signature passes them the same way on
    // the System V x86-64 and AArch64 ABIs.
    [LibraryImport(Library)]
    private static partial int git_libgit2_opts(int option, int value);

    /// <summary>
    /// How long libgit2 waits to connect and for each read from a server before failing the attempt:
    /// without it a server that accepts and then sends nothing blocks a fetch for ever.
    /// </summary>
    public static void SetServerTimeouts(TimeSpan timeout)
    {
        var ms = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
        git_libgit2_init();
        if (git_libgit2_opts(OptSetServerConnectTimeout, ms) != 0 || git_libgit2_opts(OptSetServerTimeout, ms) != 0)
        {
            throw new InvalidOperationException("libgit2 refused the server timeouts (libgit2 older than 1.7?)");
        }
    }

    /// <summary>git_stream_t's GIT_STREAM_STANDARD: the plain TCP stream (TLS wraps it).</summary>
    public const int StreamStandard = 1;

    /// <summary>git_error_t's GIT_ERROR_NET.</summary>
    public const int ErrorNet = 12;

    /// <summary>libgit2's GIT_TIMEOUT error code.</summary>
    public const int Timeout = -37;

    [LibraryImport(Library)]
    public static partial int git_stream_register(int type, void* registration);

    [LibraryImport(Library)]
    public static partial int git_error_set_str(int errorClass, byte* message);

    [LibraryImport(Library)]
    public static partial int git_libgit2_shutdown();

    [LibraryImport(Library)]
    public static partial int git_repository_open(nint* repository, byte* path);

    [LibraryImport(Library)]
    public static partial void git_repository_free(nint repository);

    [LibraryImport(Library)]
    public static partial int git_oid_fromstr(byte* oid, byte* hex);

    [LibraryImport(Library)]
    public static partial int git_commit_extract_signature(GitBuf* signature, GitBuf* signedData, nint repository, byte* commitId, byte* field);

    [LibraryImport(Library)]
    public static partial void git_buf_dispose(GitBuf* buffer);

    [LibraryImport(Library)]
    public static partial GitError* git_error_last();

    public static string LastError()
    {
        var error = git_error_last();
        return error is null || error->Message is null ? "unknown libgit2 error" : Marshal.PtrToStringUTF8((nint)error->Message) ?? "unknown libgit2 error";
    }
}
