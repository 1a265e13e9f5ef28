using System.Diagnostics;
using System.Runtime.InteropServices;
using Webc.BootSafe.Mount.View;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Mount.Fuse;

/// <summary>
/// A mounted view: a libfuse low-level session mounts it, a dedicated thread runs the
/// single-threaded loop, and <see cref="Unmount"/> (or an external umount) ends it. Usable
/// in-process (specs) and by the CLI.
/// </summary>
public sealed unsafe class GitFsMount : IDisposable
{
    private readonly FuseSession _session;
    private readonly Thread _loop;
    private readonly ManualResetEventSlim _stopped = new();
    private readonly nint _argv;
    private readonly List<nint> _strings;
    private nint _fuse;
    private int _loopResult;
    private int _disposed;
    private readonly string? _deviceMinor;

    public string MountPoint { get; }

    public GitFsView View => _session.View;

    /// <summary>What the mount prepares ahead of a recursive walk (for specs).</summary>
    public WalkAhead WalkAhead => _session.WalkAhead;

    private GitFsMount(FuseSession session, string mountPoint, nint fuse, nint argv, List<nint> strings)
    {
        _session = session;
        MountPoint = mountPoint;
        _fuse = fuse;
        _argv = argv;
        _strings = strings;
        _deviceMinor = Unmounter.DeviceMinor(mountPoint);
        ReadAhead.TrySet(_deviceMinor);
        _loop = new Thread(RunLoop) { IsBackground = true, Name = "git-fs loop" };
        _loop.Start();
    }

    public const string DevFuse = "/dev/fuse";

    public static GitFsMount Start(GitFsView view, string mountPoint, MountOptions? options = null)
    {
        options ??= new MountOptions();
        if (!File.Exists(DevFuse))
        {
            throw new OperationFailedException($"{DevFuse} is missing: load the fuse module (modprobe fuse) or create the device node");
        }

        if (!Directory.Exists(mountPoint))
        {
            throw new BadInputException($"mount point '{mountPoint}': no such directory");
        }

        mountPoint = Path.GetFullPath(mountPoint);
        var mountOptions = new List<string> { "ro", "default_permissions", $"fsname={Escape(options.FsName)}", "subtype=git-fs" };
        if (options.AllowOther)
        {
            mountOptions.Add("allow_other");
        }

        mountOptions.AddRange(options.Extra ?? []);
        string[] args = ["webc-bootsafe", "-o", string.Join(',', mountOptions)];

        var strings = args.Select(a => Marshal.StringToCoTaskMemUTF8(a)).ToList();
        var argv = Marshal.AllocHGlobal(nint.Size * (args.Length + 1));
        for (var i = 0; i < strings.Count; i++)
        {
            ((nint*)argv)[i] = strings[i];
        }

        ((nint*)argv)[args.Length] = 0;
        // fuse_session_new copies the operations table, so it can live on the stack.
        var operations = FuseCallbacks.Operations();
        var session = new FuseSession(view);
        var fuseArgs = new FuseArgs { Argc = args.Length, Argv = (byte**)argv };

        var fuse = LibFuse.SessionNew(&fuseArgs, &operations, (nuint)sizeof(FuseLowLevelOperations), session.UserData);
        if (fuse == 0)
        {
            Free(session, argv, strings);
            throw new BadInputException($"-o '{string.Join(',', mountOptions)}': libfuse refused the options");
        }

        if (LibFuse.SessionMount(fuse, mountPoint) != 0)
        {
            LibFuse.SessionDestroy(fuse);
            Free(session, argv, strings);
            throw new OperationFailedException($"mount point '{mountPoint}': fuse_session_mount failed (see the message above; is it already mounted, or are you not root?)");
        }

        return new GitFsMount(session, mountPoint, fuse, argv, strings);
    }

    /// <summary>Blocks until the loop ends (an unmount from anywhere); returns fuse_session_loop's result.</summary>
    public int Wait()
    {
        _stopped.Wait();
        return _loopResult;
    }

    public bool IsRunning => !_stopped.IsSet;

    /// <summary>Unmounts (lazily if busy) and waits for the loop to finish.</summary>
    public void Unmount()
    {
        if (_stopped.IsSet)
        {
            return;
        }

        Unmounter.Unmount(MountPoint, lazyIfBusy: true);

        // A lazily detached mount lives on while anything holds it open; aborting the connection
        // ends the loop anyway (the holders then get ENOTCONN, which is what an unmount means).
        if (!_stopped.Wait(TimeSpan.FromSeconds(10)) && Unmounter.Abort(_deviceMinor) && _stopped.Wait(TimeSpan.FromSeconds(10)))
        {
            return;
        }

        if (!_stopped.IsSet)
        {
            throw new OperationFailedException($"{MountPoint}: the FUSE loop did not stop after unmount");
        }
    }

    private void RunLoop()
    {
        try
        {
            _loopResult = LibFuse.SessionLoop(_fuse);
        }
        finally
        {
            _stopped.Set();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            Unmount();
        }
        finally
        {
            if (_stopped.IsSet && _fuse != 0)
            {
                LibFuse.SessionUnmount(_fuse);
                LibFuse.SessionDestroy(_fuse);
                _fuse = 0;
                Free(_session, _argv, _strings);
            }
        }
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace(",", "\\,");

    private static void Free(FuseSession session, nint argv, List<nint> strings)
    {
        session.Dispose();
        strings.ForEach(Marshal.FreeCoTaskMem);
        Marshal.FreeHGlobal(argv);
    }
}
