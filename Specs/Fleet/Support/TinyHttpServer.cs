using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Webc.BootSafe.Specs.Fleet.Support;

/// <summary>One request as the server read it: method, path, headers (lower-case names), body.</summary>
public sealed record TinyRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());
}

/// <summary>What the handler answers; <see cref="Hang"/> keeps the connection open without a word, <see cref="Drop"/> closes it.</summary>
public sealed record TinyResponse(int Status, byte[] Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static TinyResponse Text(int status, string body, IReadOnlyDictionary<string, string>? headers = null) => new(status, Encoding.UTF8.GetBytes(body), headers);

    public static readonly TinyResponse Drop = new(-1, []);

    public static readonly TinyResponse Hang = new(-2, []);
}

/// <summary>
/// A real HTTP/1.1 server on 127.0.0.1 (a kernel socket, real TLS through SslStream when given a
/// certificate), one request per connection, small enough to make a server misbehave on purpose:
/// drop the connection after reading a request, or never answer. Stopped by Dispose.
/// </summary>
public sealed class TinyHttpServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly X509Certificate2? _certificate;
    private readonly Func<TinyRequest, TinyResponse> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly ConcurrentBag<TcpClient> _open = [];

    public TinyHttpServer(Func<TinyRequest, TinyResponse> handler, X509Certificate2? certificate = null, int port = 0)
    {
        _handler = handler;
        _certificate = certificate;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptLoop);
    }

    public int Port { get; }

    public string Url(string path) => $"{(_certificate is null ? "http" : "https")}://127.0.0.1:{Port}{path}";

    public ConcurrentQueue<TinyRequest> Requests { get; } = new();

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        _listener.Stop();
        foreach (var client in _open)
        {
            client.Dispose();
        }

        try
        {
            _loop.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _open.Add(client);
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        try
        {
            Stream stream = client.GetStream();
            if (_certificate is not null)
            {
                var ssl = new SslStream(stream);
                await ssl.AuthenticateAsServerAsync(_certificate, clientCertificateRequired: false, checkCertificateRevocation: false);
                stream = ssl;
            }

            var request = await Read(stream);
            if (request is null)
            {
                client.Dispose();
                return;
            }

            Requests.Enqueue(request);
            var response = _handler(request);
            if (response == TinyResponse.Hang)
            {
                return; // the client (or its killer) ends it; Dispose closes it at the latest
            }

            if (response == TinyResponse.Drop)
            {
                client.Client.LingerState = new LingerOption(true, 0); // RST: the poster sees the connection cut
                client.Dispose();
                return;
            }

            var head = new StringBuilder($"HTTP/1.1 {response.Status} {Reason(response.Status)}\r\nConnection: close\r\nContent-Length: {response.Body.Length}\r\n");
            foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
            {
                head.Append($"{name}: {value}\r\n");
            }

            head.Append("\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
            await stream.WriteAsync(response.Body);
            await stream.FlushAsync();
            client.Dispose();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            client.Dispose(); // a client that went away (or refused our certificate)
        }
    }

    private static async Task<TinyRequest?> Read(Stream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 64 * 1024)
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n')
            {
                break;
            }
        }

        var lines = Encoding.ASCII.GetString(buffer.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var first = lines[0].Split(' ');
        var headers = new Dictionary<string, string>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
            }
        }

        var body = new byte[headers.TryGetValue("content-length", out var length) ? int.Parse(length, System.Globalization.CultureInfo.InvariantCulture) : 0];
        var read = 0;
        while (read < body.Length)
        {
            var n = await stream.ReadAsync(body.AsMemory(read));
            if (n == 0)
            {
                return null;
            }

            read += n;
        }

        return new TinyRequest(first[0], first[1], headers, body);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        202 => "Accepted",
        304 => "Not Modified",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
