using System.Diagnostics;
using System.Text;

namespace Webc.BootSafe.Specs.Fetch.Support;

/// <summary>
/// A stock smart-HTTP git server on 127.0.0.1, as a publisher would run one: nginx (Debian's) passes
/// every request over FastCGI to fcgiwrap, which runs `git http-backend`. Both run with their own
/// config, pid, logs and socket in a temp directory on a free port; Dispose stops both and removes it.
/// </summary>
public sealed class NginxGitServer : IDisposable
{
    private readonly TempDirectory _dir = new("bootsafe-nginx");
    private readonly StringBuilder _errors = new();
    private readonly Process _fcgiwrap;
    private readonly Process? _nginx;

    public NginxGitServer(string projectRoot)
    {
        Port = Proc.FreePort();
        var socket = _dir.Combine("fcgiwrap.sock");
        var backend = Path.Combine(Proc.Run("git", ["--exec-path"]), "git-http-backend");
        File.WriteAllText(_dir.Combine("nginx.conf"), $$"""
            daemon off;
            master_process on;
            worker_processes 1;
            user root;
            pid {{_dir.Combine("nginx.pid")}};
            error_log {{_dir.Combine("error.log")}};
            events { worker_connections 64; }
            http {
              log_format git '$request_method $uri $status $bytes_sent';
              access_log {{AccessLogPath}} git;
              client_body_temp_path {{_dir.Combine("body")}};
              fastcgi_temp_path {{_dir.Combine("fastcgi")}};
              proxy_temp_path {{_dir.Combine("proxy")}};
              uwsgi_temp_path {{_dir.Combine("uwsgi")}};
              scgi_temp_path {{_dir.Combine("scgi")}};
              client_max_body_size 0;
              server {
                listen 127.0.0.1:{{Port}};
                location / {
                  include /etc/nginx/fastcgi_params;
                  fastcgi_param SCRIPT_FILENAME {{backend}};
                  fastcgi_param GIT_PROJECT_ROOT {{projectRoot}};
                  fastcgi_param GIT_HTTP_EXPORT_ALL "";
                  fastcgi_param PATH_INFO $uri;
                  fastcgi_param GIT_PROTOCOL $http_git_protocol;
                  fastcgi_pass unix:{{socket}};
                }
              }
            }
            """);

        _fcgiwrap = Start(Tool("fcgiwrap"), ["-s", "unix:" + socket]);
        try
        {
            for (var i = 0; i < 100 && !File.Exists(socket); i++)
            {
                if (_fcgiwrap.HasExited)
                {
                    throw new InvalidOperationException($"fcgiwrap exited {_fcgiwrap.ExitCode}: {Errors}");
                }

                Thread.Sleep(50);
            }

            _nginx = Start(Tool("nginx"), ["-e", _dir.Combine("error.log"), "-p", _dir.Path, "-c", _dir.Combine("nginx.conf")]);
            GitDaemon.WaitForPort(Port, _nginx);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public int Port { get; }

    public string AccessLogPath => _dir.Combine("access.log");

    /// <summary>One line per request: method, path, status, bytes sent.</summary>
    public IReadOnlyList<string> Requests() => File.Exists(AccessLogPath) ? File.ReadAllLines(AccessLogPath) : [];

    public string Url(string repository) => $"http://127.0.0.1:{Port}/{repository}";

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                var log = _dir.Combine("error.log");
                return _errors + (File.Exists(log) ? File.ReadAllText(log) : "");
            }
        }
    }

    private static string Tool(string name)
    {
        var path = Path.Combine("/usr/sbin", name);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: `make deps` installs nginx-light and fcgiwrap");
    }

    private Process Start(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info)!;
        DataReceivedEventHandler keep = (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (_errors)
                {
                    _errors.AppendLine(line);
                }
            }
        };
        process.ErrorDataReceived += keep;
        process.OutputDataReceived += keep;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    private static void Stop(Process? process)
    {
        if (process is null)
        {
            return;
        }

        try
        {
            // nginx's workers and fcgiwrap's CGI children go with them.
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        finally
        {
            process.Dispose();
        }
    }

    public void Dispose()
    {
        try
        {
            Stop(_nginx);
            Stop(_fcgiwrap);
        }
        finally
        {
            _dir.Dispose();
        }
    }
}
