using System.Diagnostics;
using System.Net;

namespace Webc.BootSafe.Specs.Fetch.Support;

/// <summary>
/// Smart HTTP: an HttpListener on 127.0.0.1 that runs the real `git http-backend` as a CGI for each
/// request (GIT_PROJECT_ROOT, PATH_INFO, QUERY_STRING, REQUEST_METHOD, CONTENT_TYPE).
/// </summary>
public sealed class GitHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly Task _loop;

    public GitHttpServer(string projectRoot)
    {
        _root = projectRoot;
        // A free port can be taken by a spec running beside this one before we bind it: try another.
        for (var attempt = 1; ; attempt++)
        {
            Port = Proc.FreePort();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }

        _loop = Task.Run(Loop);
    }

    public int Port { get; }

    public long BytesServed { get; private set; }

    public string Url(string repository) => $"http://127.0.0.1:{Port}/{repository}";

    private async Task Loop()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            try
            {
                await Serve(context);
            }
            catch (Exception e) when (e is IOException or HttpListenerException or InvalidOperationException)
            {
                context.Response.Abort();
            }
        }
    }

    private async Task Serve(HttpListenerContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        var info = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("http-backend");
        info.Environment["GIT_PROJECT_ROOT"] = _root;
        info.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        info.Environment["PATH_INFO"] = Uri.UnescapeDataString(request.Url!.AbsolutePath);
        info.Environment["QUERY_STRING"] = request.Url.Query.TrimStart('?');
        info.Environment["REQUEST_METHOD"] = request.HttpMethod;
        info.Environment["CONTENT_TYPE"] = request.ContentType ?? "";
        info.Environment["CONTENT_LENGTH"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["REMOTE_ADDR"] = "127.0.0.1";
        if (request.Headers["Content-Encoding"] is { } encoding)
        {
            info.Environment["HTTP_CONTENT_ENCODING"] = encoding;
        }

        if (request.Headers["Git-Protocol"] is { } protocol)
        {
            info.Environment["GIT_PROTOCOL"] = protocol;
        }

        using var cgi = Process.Start(info)!;
        var stderr = cgi.StandardError.ReadToEndAsync();
        var writeBody = Task.Run(async () =>
        {
            body.Position = 0;
            await body.CopyToAsync(cgi.StandardInput.BaseStream);
            cgi.StandardInput.Close();
        });
        using var output = new MemoryStream();
        await cgi.StandardOutput.BaseStream.CopyToAsync(output);
        await writeBody;
        await cgi.WaitForExitAsync();
        await stderr;

        var bytes = output.ToArray();
        var split = IndexOf(bytes, "\r\n\r\n"u8, out var separator);
        var headers = System.Text.Encoding.ASCII.GetString(bytes, 0, split);
        var response = context.Response;
        response.StatusCode = 200;
        foreach (var line in headers.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':');
            var (name, value) = (line[..colon], line[(colon + 1)..].Trim());
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                response.StatusCode = int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                response.ContentType = value;
            }
            else if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers[name] = value;
            }
        }

        var payload = bytes.AsMemory(split + separator);
        BytesServed += payload.Length;
        response.ContentLength64 = payload.Length;
        await response.OutputStream.WriteAsync(payload);
        response.Close();
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> crlf2, out int separator)
    {
        var at = data.AsSpan().IndexOf(crlf2);
        if (at >= 0)
        {
            separator = crlf2.Length;
            return at;
        }

        separator = 2;
        return data.AsSpan().IndexOf("\n\n"u8);
    }

    public void Dispose()
    {
        // Close alone: Stop then Close binds the port again to remove its prefix, and fails when a
        // spec running beside this one has taken the port meanwhile.
        try
        {
            _listener.Close();
        }
        catch (HttpListenerException)
        {
        }

        try
        {
            _loop.Wait(5000);
        }
        catch (AggregateException)
        {
        }
    }
}
