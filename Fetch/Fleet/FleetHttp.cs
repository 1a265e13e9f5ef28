using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Fetch.Fleet;

/// <summary>
/// The one place an HTTP client for the fleet's servers (config-url, report-url) is made: no
/// redirects (a redirect could lead from https:// to http://, or to another host), no cookies, no
/// proxy from the environment, the device's headers, and with config-ca the server must chain to
/// that CA alone (the system's store is then not consulted: a kiosk trusts its fleet's CA only).
/// </summary>
public static class FleetHttp
{
    public const string MachineIdHeader = "Webc-Machine-Id";

    public static HttpClient Create(DeviceIdentity identity, string? caFile, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = timeout,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        if (caFile is not null)
        {
            var roots = LoadCa(caFile);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(certificate, errors, roots),
            };
        }

        var client = new HttpClient(handler, disposeHandler: true) { Timeout = timeout };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("webc-bootsafe", "1"));
        if (identity.MachineId is { } id)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation(MachineIdHeader, id);
        }

        return client;
    }

    /// <summary>The bearer token goes only over HTTPS: on plain HTTP anyone on the path could reuse it.</summary>
    public static void Authorize(HttpRequestMessage request, DeviceIdentity identity)
    {
        if (identity.Token is { } token && request.RequestUri?.Scheme == Uri.UriSchemeHttps)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    private static X509Certificate2Collection LoadCa(string caFile)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(caFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new BadInputException($"config-ca {caFile}: not a readable PEM certificate file ({e.Message.ReplaceLineEndings(" ")})");
        }

        return collection.Count == 0 ? throw new BadInputException($"config-ca {caFile}: holds no certificate") : collection;
    }

    // The host name must still match (RemoteCertificateNameMismatch is not forgiven); only the chain
    // is rebuilt against the configured roots.
    private static bool Trusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
