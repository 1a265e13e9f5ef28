using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using LibGit2Sharp;
using Webc.BootSafe.Fetch.Git;
using Webc.BootSafe.Fetch.Verification.Native;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// The TCP stream libgit2 opens for network remotes (Fetch/Git/TcpStream.cs): Nagle's algorithm off,
/// bytes carried both ways, and libgit2's contract on failure (GIT_TIMEOUT for a silent server, an
/// error naming the server). The first spec looks at the socket libgit2 itself connected, from inside
/// this process, so it fails if libgit2 fell back to its own stream.
/// </summary>
public sealed partial class TcpStreamSpecs : IDisposable
{
    private readonly TempDirectory _dir = new("tcp-stream");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task The_socket_a_libgit2_fetch_connects_has_nagles_algorithm_off()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var seen = Task.Run(() =>
        {
            using var accepted = listener.AcceptSocket();
            var clientPort = ((IPEndPoint)accepted.RemoteEndPoint!).Port;
            return NoDelayOfLocalSocket(clientPort);
        });

        TcpStream.Use(TimeSpan.FromSeconds(5));
        var path = _dir.Combine("quarantine");
        Repository.Init(path, isBare: true);
        using (var repository = new Repository(path))
        {
            repository.Network.Remotes.Add("up", $"git://127.0.0.1:{port}/nothing");
            // The server closes without a word once it has looked: the fetch fails, which is expected.
            Assert.ThrowsAny<LibGit2SharpException>(() => Commands.Fetch(repository, "up", ["+refs/heads/*:refs/heads/*"], new FetchOptions(), null));
        }

        Assert.Equal(1, await seen);
    }

    [Fact]
    public async Task An_https_fetch_runs_libgit2s_tls_over_this_stream()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var served = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptSocketAsync();
            var noDelay = NoDelayOfLocalSocket(((IPEndPoint)accepted.RemoteEndPoint!).Port);
            await using var tls = new SslStream(new NetworkStream(accepted));
            await tls.AuthenticateAsServerAsync(certificate);
            var line = new StreamReader(tls, Encoding.ASCII).ReadLine();
            await tls.WriteAsync("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
            return (noDelay, line);
        });

        TcpStream.Use(TimeSpan.FromSeconds(5));
        var path = _dir.Combine("quarantine-https");
        Repository.Init(path, isBare: true);
        var checkedCertificate = false;
        using (var repository = new Repository(path))
        {
            repository.Network.Remotes.Add("up", $"https://127.0.0.1:{port}/upstream.git");
            var options = new FetchOptions { CertificateCheck = (_, _, _) => checkedCertificate = true };
            Assert.ThrowsAny<LibGit2SharpException>(() => Commands.Fetch(repository, "up", ["+refs/heads/*:refs/heads/*"], options, null));
        }

        var (noDelay, requestLine) = await served;
        Assert.True(checkedCertificate, "libgit2 never saw the server's certificate");
        Assert.Equal("GET /upstream.git/info/refs?service=git-upload-pack HTTP/1.1", requestLine);
        Assert.Equal(1, noDelay);
    }

    [Fact]
    public void A_stream_carries_bytes_both_ways_with_nagles_algorithm_off()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Assert.Equal(0, TcpStream.Open(out var stream, "127.0.0.1", port.ToString(), 5000));
        try
        {
            Assert.Equal(0, TcpStream.Connect(stream));
            Assert.True(TcpStream.NoDelay(stream));
            using var server = listener.AcceptSocket();

            var request = Encoding.ASCII.GetBytes("0032git-upload-pack /x\0host=127.0.0.1\0");
            Assert.Equal(request.Length, (int)TcpStream.Write(stream, request));
            Assert.Equal(request, ReceiveExactly(server, request.Length));

            var reply = new byte[70_000];
            Random.Shared.NextBytes(reply);
            server.Send(reply);
            server.Shutdown(SocketShutdown.Send);
            var read = new MemoryStream();
            var buffer = new byte[8192];
            while (TcpStream.Read(stream, buffer) is var n and > 0)
            {
                read.Write(buffer, 0, (int)n);
            }

            Assert.Equal(reply, read.ToArray());
        }
        finally
        {
            TcpStream.CloseAndFree(stream);
        }
    }

    [Fact]
    public void A_server_that_sends_nothing_fails_a_read_with_libgit2s_timeout_naming_the_server()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Assert.Equal(0, TcpStream.Open(out var stream, "127.0.0.1", port.ToString(), 300));
        try
        {
            Assert.Equal(0, TcpStream.Connect(stream));
            using var server = listener.AcceptSocket();

            Assert.Equal(LibGit2Native.Timeout, (int)TcpStream.Read(stream, new byte[16]));
            Assert.Equal($"read from 127.0.0.1:{port} timed out", LibGit2Native.LastError());
        }
        finally
        {
            TcpStream.CloseAndFree(stream);
        }
    }

    [Fact]
    public void A_refused_connection_is_a_libgit2_error_naming_the_server()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        Assert.Equal(0, TcpStream.Open(out var stream, "127.0.0.1", port.ToString(), 5000));
        try
        {
            Assert.Equal(-1, TcpStream.Connect(stream));
            Assert.StartsWith($"failed to connect to 127.0.0.1:{port}: ", LibGit2Native.LastError(), StringComparison.Ordinal);
        }
        finally
        {
            TcpStream.CloseAndFree(stream);
        }
    }

    [Fact]
    public void A_port_that_is_not_a_number_is_refused_before_any_connection()
    {
        Assert.Equal(0, TcpStream.Open(out var stream, "127.0.0.1", "git", 5000));
        try
        {
            Assert.Equal(-1, TcpStream.Connect(stream));
            Assert.Equal("failed to connect to 127.0.0.1:git: the port 'git' is not a number", LibGit2Native.LastError());
        }
        finally
        {
            TcpStream.CloseAndFree(stream);
        }
    }

    private static byte[] ReceiveExactly(Socket socket, int count)
    {
        var data = new byte[count];
        var at = 0;
        while (at < count)
        {
            var n = socket.Receive(data.AsSpan(at));
            Assert.True(n > 0, "the stream closed early");
            at += n;
        }

        return data;
    }

    /// <summary>TCP_NODELAY of this process's socket bound to 127.0.0.1:<paramref name="localPort"/>, or -1 if none.</summary>
    private static unsafe int NoDelayOfLocalSocket(int localPort)
    {
        const int ipProtoTcp = 6, tcpNoDelay = 1, afInet = 2;
        for (var fd = 0; fd < 4096; fd++)
        {
            var address = stackalloc byte[128];
            var length = 128;
            if (getsockname(fd, address, &length) != 0 || *(ushort*)address != afInet)
            {
                continue;
            }

            var port = (address[2] << 8) | address[3];
            if (port != localPort)
            {
                continue;
            }

            int value = -1, size = sizeof(int);
            return getsockopt(fd, ipProtoTcp, tcpNoDelay, &value, &size) == 0 ? value : -1;
        }

        return -1;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int getsockname(int fd, byte* address, int* length);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int getsockopt(int fd, int level, int name, int* value, int* length);
}
