using System.Net;
using System.Text;
using Webc.BootSafe.Fetch.Fleet;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.Medium.Storage;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Updates.Fleet;

/// <summary>
/// Use case "download the kiosk's configuration" (`config`, and `fetch` before it reads
/// fetch-revision): a conditional GET of config.yaml's config-url (If-None-Match with the ETag kept
/// beside the copy), at most <see cref="MaxBytes"/> within <see cref="Deadline"/>, validated with the
/// parser and precedence live/webc-cmdline is read with, then written over live/webc-cmdline
/// atomically. Anything wrong keeps the last good copy: the kiosk never loses a working configuration
/// to a network fault or a bad server. Trust keys in the download (config-url, remote, ...) are
/// ignored, as they are in live/webc-cmdline, and named in the result.
/// </summary>
public sealed class ConfigDownload(MediumLayout layout, IMediumStorage storage)
{
    /// <summary>Far above a Webconverger configuration (a kernel command line: a few KiB).</summary>
    public const int MaxBytes = 64 * 1024;

    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The kernel command line the download is validated together with.</summary>
    public string ProcCmdlinePath { get; init; } = BootParameterReader.ProcCmdline;

    public string EtcMachineId { get; init; } = DeviceIdentity.EtcMachineId;

    public string EtagFile => layout.DownloadedCmdline + ".etag";

    /// <summary>
    /// Downloads when config.yaml names config-url (null when it does not). Bad input (config.yaml,
    /// the CA file, the token) throws; a failed download returns <see cref="ConfigDownloadStatus.KeptLastGood"/>.
    /// </summary>
    public ConfigDownloadResult? Run(BootParameters parameters)
    {
        if (parameters.ConfigUrl is not { } url)
        {
            return null;
        }

        var identity = DeviceIdentity.Read(layout, parameters, EtcMachineId);
        using var client = FleetHttp.Create(identity, parameters.ConfigCa, Deadline);
        using var deadline = new CancellationTokenSource(Deadline);
        var have = storage.FileExists(layout.DownloadedCmdline);
        byte[] body;
        string? etag;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            FleetHttp.Authorize(request, identity);
            if (have && storage.FileExists(EtagFile) && Encoding.UTF8.GetString(storage.ReadAllBytes(EtagFile)).Trim() is { Length: > 0 } known)
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", known);
            }

            using var response = client.Send(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (response.StatusCode == HttpStatusCode.NotModified && have)
            {
                return new(ConfigDownloadStatus.Unchanged, $"configuration from {url} not modified (ETag); {layout.DownloadedCmdline} kept", []);
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                return Kept(url, $"the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            if (response.Content.Headers.ContentLength > MaxBytes)
            {
                return Kept(url, $"it is {response.Content.Headers.ContentLength} bytes, more than {MaxBytes}");
            }

            body = ReadCapped(response.Content.ReadAsStream(deadline.Token), deadline.Token);
            if (body.Length > MaxBytes)
            {
                return Kept(url, $"it is more than {MaxBytes} bytes");
            }

            etag = response.Headers.ETag?.ToString();
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            return Kept(url, e is OperationCanceledException ? $"no answer within {Deadline.TotalSeconds:0} s" : Innermost(e));
        }

        string text;
        IReadOnlyList<string> ignored;
        try
        {
            (text, ignored) = Validate(body);
        }
        catch (BadInputException invalid)
        {
            return Kept(url, "it is not a valid configuration: " + invalid.Message);
        }

        // Two downloads at once (the timer's fetch and an operator's `config`) would share the temp file.
        using var held = MediumLock.AcquireDirectory(layout.Live, TimeSpan.FromSeconds(10));

        // The copy first, then its ETag: a power cut between them leaves an old ETag, which only
        // costs one full download next time, never a stale copy taken for current.
        storage.ReplaceAtomically(layout.DownloadedCmdline, Encoding.UTF8.GetBytes(text));
        if (etag is not null)
        {
            storage.ReplaceAtomically(EtagFile, Encoding.UTF8.GetBytes(etag + "\n"));
        }
        else if (storage.FileExists(EtagFile))
        {
            storage.Delete(EtagFile);
            storage.SyncDirectory(layout.Live);
        }

        var note = ignored.Count == 0 ? "" : $"; ignored trust keys it may not set: {string.Join(", ", ignored)}";
        return new(ConfigDownloadStatus.Updated, $"configuration from {url} written to {layout.DownloadedCmdline} ({body.Length} bytes){note}", ignored);
    }

    /// <summary>
    /// The same reading `params` and `fetch` do: UTF-8 without NUL, split as a kernel command line,
    /// resolved over config.yaml and /proc/cmdline, so a value fetch would refuse is refused here, before it replaces a good copy.
    /// </summary>
    private (string Text, IReadOnlyList<string> IgnoredTrustKeys) Validate(byte[] body)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw new BadInputException("not UTF-8 text");
        }

        if (text.Contains('\0'))
        {
            throw new BadInputException("it holds NUL bytes");
        }

        BootParameterResolver.Resolve(new ParameterSources(
            BoundedTextFile.ReadIfPresent(ProcCmdlinePath, "kernel command line"),
            text,
            BoundedTextFile.ReadIfPresent(layout.ConfigFile, "configuration"),
            ProcCmdlinePath,
            "downloaded configuration",
            layout.ConfigFile));
        var ignored = KernelCommandLine.Parse(text, ParameterSource.DownloadedCmdline, "downloaded configuration")
            .Select(s => s.Key)
            .Where(k => ParameterKeys.IsKnown(k) && !ParameterKeys.IsCommandLineKey(k))
            .Distinct()
            .ToList();
        return (text, ignored);
    }

    private ConfigDownloadResult Kept(Uri url, string why) =>
        new(ConfigDownloadStatus.KeptLastGood,
            storage.FileExists(layout.DownloadedCmdline)
                ? $"configuration not downloaded from {url}: {why}; keeping the last good copy {layout.DownloadedCmdline}"
                : $"configuration not downloaded from {url}: {why}; there is no earlier copy, config.yaml and the kernel command line apply",
            []);

    private static byte[] ReadCapped(Stream stream, CancellationToken token)
    {
        using (stream)
        {
            var buffer = new byte[MaxBytes + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = stream.ReadAsync(buffer.AsMemory(total), token).AsTask().GetAwaiter().GetResult()) > 0)
            {
                total += read;
            }

            return buffer[..total];
        }
    }

    private static string Innermost(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return (inner == e ? e.Message : $"{e.Message} ({inner.Message})").ReplaceLineEndings(" ");
    }
}
