using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Webc.BootSafe.Specs.BootPath;
using Webc.BootSafe.Specs.Fleet.Support;
using Webc.BootSafe.Specs.Support;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Specs.Fleet;

/// <summary>
/// Issue 18 item 1: `config` (and `fetch` first) downloads config-url over real HTTPS from a server
/// on 127.0.0.1 whose certificate was made for the test and is trusted through config-ca only. A
/// conditional request keeps the copy on 304; an oversize, invalid, failing, untrusted or unreachable
/// download keeps the last good copy byte for byte; trust keys in the download are ignored.
/// </summary>
public sealed class ConfigDownloadSpecs : IDisposable
{
    private const string Token = "kiosk-token-0123";
    private const string MachineId = "0123456789abcdef0123456789abcdef";
    private const string Good = "fetch-revision=stable homepage=https://example.org/ noupgrade=false";

    private readonly TempDirectory _dir = new("bootsafe-config");
    private readonly TestCertificates _certs = new();
    private readonly MediumLayout _layout;
    private readonly string _cmdline;

    public ConfigDownloadSpecs()
    {
        _layout = new MediumLayout(_dir.Sub("medium"));
        Directory.CreateDirectory(_layout.BootSafe);
        File.WriteAllText(Path.Combine(_layout.BootSafe, "ca.pem"), _certs.CaPem);
        File.WriteAllText(Path.Combine(_layout.BootSafe, "device-token"), Token + "\n");
        File.WriteAllText(Path.Combine(_layout.BootSafe, "machine-id"), MachineId + "\n");
        _cmdline = _dir.Combine("cmdline");
        File.WriteAllText(_cmdline, "boot=live quiet");
    }

    public void Dispose()
    {
        _certs.Dispose();
        _dir.Dispose();
    }

    private TinyHttpServer Https(Func<TinyRequest, TinyResponse> handler) => new(handler, _certs.Server);

    private void ConfigYaml(string url, bool trustCa = true) =>
        File.WriteAllText(_layout.ConfigFile, $"config-url: {url}\n{(trustCa ? "config-ca: ca.pem\n" : "")}");

    private ProcessOutput Config(params string[] extra) => InProcessCli.Run(["config", "--medium", _layout.Root, "--cmdline", _cmdline, .. extra]);

    private static TinyResponse Versioned(TinyRequest request, string body, string etag) =>
        request.Header("If-None-Match") == etag
            ? new TinyResponse(304, [], new Dictionary<string, string> { ["ETag"] = etag })
            : TinyResponse.Text(200, body, new Dictionary<string, string> { ["ETag"] = etag });

    private Dictionary<string, string> Hashes() =>
        Directory.EnumerateFiles(_layout.Root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(_layout.Root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public void Downloads_then_a_304_keeps_the_copy_and_the_device_identity_travels_in_headers()
    {
        using var server = Https(r => Versioned(r, Good, "\"v1\""));
        ConfigYaml(server.Url("/kiosk/config"));

        var first = Config();
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(Good, File.ReadAllText(_layout.DownloadedCmdline));
        Assert.Equal("\"v1\"", File.ReadAllText(_layout.DownloadedCmdline + ".etag").Trim());
        var copy = Hashes();

        var second = Config();
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("not modified", second.Stdout, StringComparison.Ordinal);

        Assert.Equal(copy, Hashes());
        var requests = server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Null(requests[0].Header("If-None-Match"));
        Assert.Equal("\"v1\"", requests[1].Header("If-None-Match"));
        Assert.All(requests, r => Assert.Equal("Bearer " + Token, r.Header("Authorization")));
        Assert.All(requests, r => Assert.Equal(MachineId, r.Header("Webc-Machine-Id")));

        // The downloaded copy is what params and fetch now read.
        var (value, source) = Effective()["fetch-revision"];
        Assert.Equal("stable", value);
        Assert.Contains("webc-cmdline", source, StringComparison.Ordinal);
    }

    /// <summary>`params`' text rows: key, value ("-" when none), source (in-process, stdout is text only).</summary>
    private Dictionary<string, (string Value, string Source)> Effective()
    {
        var result = InProcessCli.Run("params", "--medium", _layout.Root, "--cmdline", _cmdline);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToDictionary(parts => parts[0], parts => (parts[1], parts.Length > 2 ? parts[2] : ""));
    }

    /// <summary>The kiosk runs the NativeAOT binary: HttpClient, TLS and the custom CA must work there too.</summary>
    [HostFact]
    [Trait(Tier.Name, Tier.Host)]
    public void The_aot_binary_downloads_over_https_with_the_configured_ca_and_reports_in_json()
    {
        using var server = Https(r => Versioned(r, Good, "\"v7\""));
        ConfigYaml(server.Url("/c"));
        ProcessResult Aot() => ProcessResult.Run(BootPath.AotBinary.Path, ["config", "--medium", _layout.Root, "--cmdline", _cmdline, "--json"]);

        var first = Aot();
        var second = Aot();

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        using (var json = JsonDocument.Parse(first.Stdout))
        {
            Assert.Equal("updated", json.RootElement.GetProperty("status").GetString());
        }

        using (var json = JsonDocument.Parse(second.Stdout))
        {
            Assert.Equal("unchanged", json.RootElement.GetProperty("status").GetString());
        }

        Assert.Equal(Good, File.ReadAllText(_layout.DownloadedCmdline));
        Assert.Equal("Bearer " + Token, server.Requests.Last().Header("Authorization"));
    }

    public static TheoryData<string> Faults => ["oversize", "invalid", "nul", "server-error", "not-found", "untrusted", "unreachable", "dropped"];

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_bad_or_missing_download_keeps_the_last_good_copy_byte_for_byte(string fault)
    {
        using (var good = Https(r => Versioned(r, Good, "\"v1\"")))
        {
            ConfigYaml(good.Url("/c"));
            Assert.Equal(0, Config().ExitCode);
        }

        using var server = Https(_ => fault switch
        {
            "oversize" => TinyResponse.Text(200, "fetch-revision=stable " + new string('x', 70 * 1024)),
            "invalid" => TinyResponse.Text(200, "fetch-revision=../escape"),
            "nul" => new TinyResponse(200, Encoding.UTF8.GetBytes("fetch-revision=stable\0")),
            "server-error" => TinyResponse.Text(500, "oops"),
            "not-found" => TinyResponse.Text(404, "no such kiosk"),
            "dropped" => TinyResponse.Drop,
            _ => TinyResponse.Text(200, "fetch-revision=evil"),
        });
        var url = server.Url("/c");
        if (fault == "unreachable")
        {
            server.Dispose(); // nothing listens on the port any more
        }

        ConfigYaml(url, trustCa: fault != "untrusted");
        var before = Hashes();

        var result = Config();

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, result.ToString());
        Assert.Contains("keeping the last good copy", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Hashes());
        Assert.Equal(Good, File.ReadAllText(_layout.DownloadedCmdline));
    }

    [Fact]
    public void Config_url_and_other_trust_keys_are_never_taken_from_the_download_or_the_kernel_command_line()
    {
        using var server = Https(_ => TinyResponse.Text(200, "fetch-revision=stable config-url=https://127.0.0.1:1/evil remote=git://evil.example/x allow-unsigned=true"));
        ConfigYaml(server.Url("/c"));
        File.WriteAllText(_cmdline, "boot=live config-url=https://127.0.0.1:2/evil report-url=http://127.0.0.1:3/evil");

        var result = Config();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("ignored trust keys it may not set: config-url, remote, allow-unsigned", result.Stdout, StringComparison.Ordinal);
        var effective = Effective();
        Assert.Equal(server.Url("/c"), effective["config-url"].Value);
        Assert.Contains("config.yaml", effective["config-url"].Source, StringComparison.Ordinal);
        Assert.Equal("-", effective["report-url"].Value);
        Assert.Equal("-", effective["remote"].Value);
        Assert.Equal("false", effective["allow-unsigned"].Value);
        Assert.Equal("stable", effective["fetch-revision"].Value);
    }

    [Theory]
    [InlineData("config-url: http://127.0.0.1:1/plain\n", "https://")]
    [InlineData("config-url: not a url\n", "https://")]
    [InlineData("config-url: https://127.0.0.1:1/c\nconfig-ca: missing.pem\n", "config-ca")]
    [InlineData("remote: git://127.0.0.1/x\n", "names no config-url")]
    public void Bad_configuration_is_bad_input_with_nothing_written(string yaml, string expected)
    {
        File.WriteAllText(_layout.ConfigFile, yaml);
        var before = Hashes();

        var result = Config();

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Hashes());
    }

    [Fact]
    public void A_server_that_never_answers_is_given_up_at_the_deadline_and_the_copy_is_kept()
    {
        using (var good = Https(r => Versioned(r, Good, "\"v1\"")))
        {
            ConfigYaml(good.Url("/c"));
            Assert.Equal(0, Config().ExitCode);
        }

        using var silent = Https(_ => TinyResponse.Hang);
        ConfigYaml(silent.Url("/c"));
        var before = Hashes();
        var download = new Webc.BootSafe.Updates.Fleet.ConfigDownload(_layout, new Webc.BootSafe.Medium.Storage.PosixMediumStorage())
        {
            Deadline = TimeSpan.FromSeconds(2),
            ProcCmdlinePath = _cmdline,
        };

        var result = download.Run(Webc.BootSafe.Fetch.Params.BootParameterReader.Read(_layout, _cmdline))!;

        Assert.Equal(Webc.BootSafe.Updates.Fleet.ConfigDownloadStatus.KeptLastGood, result.Status);
        Assert.Contains("keeping the last good copy", result.Message, StringComparison.Ordinal);
        Assert.Equal(before, Hashes());
    }

    [Fact]
    public void A_failed_download_during_fetch_is_a_warning_and_the_fetch_goes_on()
    {
        using var server = Https(_ => TinyResponse.Text(503, "down"));
        ConfigYaml(server.Url("/c"));

        var result = InProcessCli.Run("fetch", "--medium", _layout.Root, "--cmdline", _cmdline);

        // The fetch itself then fails on this medium's missing repository: it went on past the download.
        Assert.Contains("warning: configuration not downloaded", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("fetch goes on", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("is not a git repository", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_layout.DownloadedCmdline));
    }
}
