using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Webc.BootSafe.Fetch.Verification.Native;

namespace Webc.BootSafe.Fetch.Git;

/// <summary>
/// The TCP connection under every network fetch libgit2 makes (git://, http://, and https:// beneath
/// libgit2's TLS, which wraps the standard stream). libgit2's own socket stream leaves Nagle's algorithm
/// on, so a request written in two parts (an HTTP POST's headers, then its body) holds the second part
/// until the server acknowledges the first, and a server delays that acknowledgement (40 ms on Linux):
/// once per negotiation round, a fixed cost larger than the whole transfer of a small update
/// (bench/fetch/README.md). This stream sets TCP_NODELAY, as curl (git's HTTP transport) does, and
/// otherwise keeps libgit2's contract: connect and each read or write give up after the stream's
/// timeouts (set at init from <see cref="Use"/>'s, <see cref="GitFetcher"/>'s stall limit) with
/// libgit2's GIT_TIMEOUT, and every failure is a libgit2 error naming the server.
/// </summary>
public static unsafe class TcpStream
{
    // git_stream (git2/sys/stream.h, libgit2 1.7 and later: version, the encrypted and proxy_support
    // bits, timeout, connect_timeout, then seven callbacks); the connection's handle follows it.
    [StructLayout(LayoutKind.Sequential)]
    private struct GitStream
    {
        public int Version;
        public uint Bits;
        public int Timeout;
        public int ConnectTimeout;
        public delegate* unmanaged<GitStream*, int> Connect;
        public nint Certificate;
        public nint SetProxy;
        public delegate* unmanaged<GitStream*, byte*, nuint, nint> Read;
        public delegate* unmanaged<GitStream*, byte*, nuint, int, nint> Write;
        public delegate* unmanaged<GitStream*, int> Close;
        public delegate* unmanaged<GitStream*, void> Free;
        public nint Connection;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Registration
    {
        public int Version;
        public delegate* unmanaged<GitStream**, byte*, byte*, int> Init;
        public nint Wrap;
    }

    private const int StreamVersion = 1;
    private static readonly Lock Gate = new();
    private static int _timeoutMs;
    private static bool _registered;

    /// <summary>
    /// Makes this the stream libgit2 opens for every network remote in this process, with
    /// <paramref name="timeout"/> for connecting and for each read and write (libgit2's server timeouts
    /// are set to the same, for anything that still uses its own stream).
    /// </summary>
    public static void Use(TimeSpan timeout)
    {
        LibGit2Native.SetServerTimeouts(timeout);
        lock (Gate)
        {
            Volatile.Write(ref _timeoutMs, (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue));
            if (_registered)
            {
                return;
            }

            // libgit2 copies the registration.
            var registration = new Registration { Version = StreamVersion, Init = &Init };
            if (LibGit2Native.git_stream_register(LibGit2Native.StreamStandard, &registration) != 0)
            {
                throw new InvalidOperationException($"libgit2 refused the TCP stream: {LibGit2Native.LastError()}");
            }

            _registered = true;
        }
    }

    /// <summary>Whether TCP_NODELAY is set on the socket of the stream libgit2 was given (for the specs).</summary>
    internal static bool NoDelay(nint stream) => Of((GitStream*)stream).Socket?.NoDelay ?? false;

    /// <summary>
    /// libgit2's init callback, for the specs to open a stream as libgit2 does, with timeouts of their
    /// own (the process-wide one belongs to whichever fetch runs).
    /// </summary>
    internal static int Open(out nint stream, string host, string port, int timeoutMs)
    {
        LibGit2Native.git_libgit2_init(); // its errors live in its thread state
        GitStream* created;
        int result;
        fixed (byte* h = Encoding.UTF8.GetBytes(host + '\0'), p = Encoding.UTF8.GetBytes(port + '\0'))
        {
            result = InitStream(&created, h, p);
        }

        if (created is not null)
        {
            created->Timeout = created->ConnectTimeout = timeoutMs;
        }

        stream = (nint)created;
        return result;
    }

    /// <summary>The stream's callbacks, called as libgit2 calls them (for the specs).</summary>
    internal static int Connect(nint stream) => ((GitStream*)stream)->Connect((GitStream*)stream);

    internal static nint Read(nint stream, Span<byte> into)
    {
        fixed (byte* buffer = into)
        {
            return ((GitStream*)stream)->Read((GitStream*)stream, buffer, (nuint)into.Length);
        }
    }

    internal static nint Write(nint stream, ReadOnlySpan<byte> data)
    {
        fixed (byte* buffer = data)
        {
            return ((GitStream*)stream)->Write((GitStream*)stream, buffer, (nuint)data.Length, 0);
        }
    }

    internal static void CloseAndFree(nint stream)
    {
        ((GitStream*)stream)->Close((GitStream*)stream);
        ((GitStream*)stream)->Free((GitStream*)stream);
    }

    [UnmanagedCallersOnly]
    private static int Init(GitStream** stream, byte* host, byte* port) => InitStream(stream, host, port);

    private static int InitStream(GitStream** stream, byte* host, byte* port)
    {
        *stream = null;
        try
        {
            var created = (GitStream*)NativeMemory.AllocZeroed((nuint)sizeof(GitStream));
            var timeout = Volatile.Read(ref _timeoutMs);
            created->Version = StreamVersion;
            created->Timeout = timeout;
            created->ConnectTimeout = timeout;
            created->Connect = &OnConnect;
            created->Read = &OnRead;
            created->Write = &OnWrite;
            created->Close = &OnClose;
            created->Free = &OnFree;
            var connection = new Connection(Marshal.PtrToStringUTF8((nint)host) ?? "", Marshal.PtrToStringUTF8((nint)port) ?? "");
            created->Connection = GCHandle.ToIntPtr(GCHandle.Alloc(connection));
            *stream = created;
            return 0;
        }
        catch (Exception e)
        {
            return Fail($"could not create a stream: {e.Message}");
        }
    }

    [UnmanagedCallersOnly]
    private static int OnConnect(GitStream* stream)
    {
        var connection = Of(stream);
        try
        {
            connection.Open(stream->ConnectTimeout);
            return 0;
        }
        catch (TimeoutException)
        {
            return Fail($"could not connect to {connection.Server}: timed out", LibGit2Native.Timeout);
        }
        catch (Exception e)
        {
            return Fail($"failed to connect to {connection.Server}: {e.Message}");
        }
    }

    [UnmanagedCallersOnly]
    private static nint OnRead(GitStream* stream, byte* data, nuint length)
    {
        var connection = Of(stream);
        try
        {
            return connection.Receive(new Span<byte>(data, (int)Math.Min(length, int.MaxValue)), stream->Timeout);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return Fail($"read from {connection.Server} timed out", LibGit2Native.Timeout);
        }
        catch (Exception e)
        {
            return Fail($"could not read from {connection.Server}: {e.Message}");
        }
    }

    [UnmanagedCallersOnly]
    private static nint OnWrite(GitStream* stream, byte* data, nuint length, int flags)
    {
        var connection = Of(stream);
        try
        {
            connection.Send(new ReadOnlySpan<byte>(data, (int)Math.Min(length, int.MaxValue)), stream->Timeout);
            return (nint)Math.Min(length, int.MaxValue);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return Fail($"write to {connection.Server} timed out", LibGit2Native.Timeout);
        }
        catch (Exception e)
        {
            return Fail($"could not write to {connection.Server}: {e.Message}");
        }
    }

    [UnmanagedCallersOnly]
    private static int OnClose(GitStream* stream)
    {
        Of(stream).Dispose();
        return 0;
    }

    [UnmanagedCallersOnly]
    private static void OnFree(GitStream* stream)
    {
        var handle = GCHandle.FromIntPtr(stream->Connection);
        ((Connection)handle.Target!).Dispose();
        handle.Free();
        NativeMemory.Free(stream);
    }

    private static Connection Of(GitStream* stream) => (Connection)GCHandle.FromIntPtr(stream->Connection).Target!;

    private static int Fail(string message, int code = -1)
    {
        fixed (byte* text = Encoding.UTF8.GetBytes(message + '\0'))
        {
            LibGit2Native.git_error_set_str(LibGit2Native.ErrorNet, text);
        }

        return code;
    }

    /// <summary>One connection to <c>host:port</c>; a socket once connected.</summary>
    private sealed class Connection(string host, string port) : IDisposable
    {
        private int _receiveTimeout = -1;
        private int _sendTimeout = -1;

        public Socket? Socket { get; private set; }

        public string Server => $"{host}:{port}";

        /// <summary>Tries each address of the host in turn, as libgit2 does; 0 ms waits as long as the system does.</summary>
        public void Open(int connectTimeoutMs)
        {
            if (!ushort.TryParse(port, out var number))
            {
                throw new ArgumentException($"the port '{port}' is not a number");
            }

            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : Dns.GetHostAddresses(host);
            Exception? last = null;
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    using var deadline = new CancellationTokenSource();
                    if (connectTimeoutMs > 0)
                    {
                        deadline.CancelAfter(connectTimeoutMs);
                    }

                    socket.ConnectAsync(new IPEndPoint(address, number), deadline.Token).AsTask().GetAwaiter().GetResult();
                    Socket = socket;
                    return;
                }
                catch (OperationCanceledException)
                {
                    socket.Dispose();
                    throw new TimeoutException();
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    last = e;
                }
            }

            throw last ?? new SocketException((int)SocketError.HostNotFound);
        }

        public int Receive(Span<byte> into, int timeoutMs)
        {
            var socket = Connected();
            if (_receiveTimeout != timeoutMs)
            {
                socket.ReceiveTimeout = _receiveTimeout = timeoutMs;
            }

            return socket.Receive(into);
        }

        public void Send(ReadOnlySpan<byte> data, int timeoutMs)
        {
            var socket = Connected();
            if (_sendTimeout != timeoutMs)
            {
                socket.SendTimeout = _sendTimeout = timeoutMs;
            }

            while (!data.IsEmpty)
            {
                data = data[socket.Send(data)..];
            }
        }

        public void Dispose()
        {
            Socket?.Dispose();
            Socket = null;
        }

        private Socket Connected() => Socket ?? throw new InvalidOperationException("not connected");
    }
}
