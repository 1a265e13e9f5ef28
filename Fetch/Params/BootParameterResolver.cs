using System.Globalization;
using Webc.BootSafe.Medium.Errors;
using Webc.BootSafe.StateMachine.Slots;

namespace Webc.BootSafe.Fetch.Params;

/// <summary>
/// Applies precedence: defaults, then config.yaml, then /proc/cmdline, then the downloaded
/// webc-cmdline (it wins, as in Webconverger); within one command line the last repetition wins.
/// Trust keys are read from config.yaml only; on a command line they are ignored.
/// </summary>
public static class BootParameterResolver
{
    public static BootParameters Resolve(ParameterSources sources)
    {
        var chosen = new Dictionary<string, Setting>(StringComparer.Ordinal);
        if (sources.ConfigYaml is { } yaml)
        {
            foreach (var s in ConfigFile.Parse(yaml, sources.ConfigPath))
            {
                chosen[s.Key] = s;
            }
        }

        foreach (var (text, source, path) in new[]
                 {
                     (sources.ProcCmdline, ParameterSource.ProcCmdline, sources.ProcCmdlinePath),
                     (sources.DownloadedCmdline, ParameterSource.DownloadedCmdline, sources.DownloadedCmdlinePath),
                 })
        {
            if (text is null)
            {
                continue;
            }

            foreach (var s in KernelCommandLine.Parse(text, source, path))
            {
                if (ParameterKeys.IsCommandLineKey(s.Key))
                {
                    chosen[s.Key] = s;
                }
            }
        }

        return Build(chosen, sources.ConfigPath);
    }

    private static BootParameters Build(Dictionary<string, Setting> chosen, string configPath)
    {
        string? Text(string key) => chosen.TryGetValue(key, out var s) ? s.Value : null;
        Setting? Get(string key) => chosen.GetValueOrDefault(key);

        var allowUnsigned = Flag(Get(ParameterKeys.AllowUnsigned)) ?? false;
        var requireSignature = Flag(Get(ParameterKeys.RequireSignature));
        if (requireSignature == false && !allowUnsigned)
        {
            throw new BadInputException(
                $"{Get(ParameterKeys.RequireSignature)!.Origin}: require-signature: false also needs allow-unsigned: true (test channels only)");
        }

        if (requireSignature == true && allowUnsigned)
        {
            throw new BadInputException(
                $"{Get(ParameterKeys.AllowUnsigned)!.Origin}: allow-unsigned: true contradicts require-signature: true");
        }

        var fetchRevision = Text(ParameterKeys.FetchRevision);
        if (Get(ParameterKeys.FetchRevision) is { } fr && !IsRefName(fr.Value))
        {
            throw new BadInputException($"{fr.Origin}: fetch-revision '{fr.Value}' is not a branch or tag name");
        }

        return new BootParameters
        {
            FetchRevision = fetchRevision ?? BootParameters.DefaultFetchRevision,
            UpdateRevision = Sha(Get(ParameterKeys.UpdateRevision)),
            NoUpgrade = Flag(Get(ParameterKeys.NoUpgrade)) ?? false,
            Debug = Flag(Get(ParameterKeys.Debug)) ?? false,
            GitRevision = Sha(Get(ParameterKeys.GitRevision)),
            BootAppend = Text(ParameterKeys.BootAppend),
            KernelFlavour = Flavour(Get(ParameterKeys.KernelFlavour)),
            Remote = NonEmpty(Get(ParameterKeys.Remote)),
            SshAllowedSigners = PathValue(Get(ParameterKeys.SshAllowedSigners), configPath),
            OpenPgpKeyring = PathValue(Get(ParameterKeys.OpenPgpKeyring), configPath),
            AllowUnsigned = allowUnsigned,
            AllowDowngrade = Flag(Get(ParameterKeys.AllowDowngrade)) ?? false,
            MaxFetchBytes = Number(Get(ParameterKeys.MaxFetchBytes), 1, long.MaxValue) ?? BootParameters.DefaultMaxFetchBytes,
            MaxObjectBytes = Number(Get(ParameterKeys.MaxObjectBytes), 1, long.MaxValue) ?? BootParameters.DefaultMaxObjectBytes,
            FetchRetries = (int)(Number(Get(ParameterKeys.FetchRetries), 0, 10) ?? BootParameters.DefaultFetchRetries),
            FetchDeadlineSeconds = (int)(Number(Get(ParameterKeys.FetchDeadline), 1, 86_400) ?? BootParameters.DefaultFetchDeadlineSeconds),
            FetchStallTimeoutSeconds = (int)(Number(Get(ParameterKeys.FetchStallTimeout), 1, 3_600) ?? BootParameters.DefaultFetchStallTimeoutSeconds),
            FetchLowSpeed = Number(Get(ParameterKeys.FetchLowSpeed), 0, long.MaxValue) ?? BootParameters.DefaultFetchLowSpeed,
            MaxTrialBoots = (int)(Number(Get(ParameterKeys.MaxTrialBoots), 1, 100) ?? SlotRecord.DefaultMaxTrialBoots),
            ConfigUrl = Url(Get(ParameterKeys.ConfigUrl), httpsOnly: true),
            ConfigCa = PathValue(Get(ParameterKeys.ConfigCa), configPath),
            DeviceToken = PathValue(Get(ParameterKeys.DeviceToken), configPath),
            ReportUrl = Url(Get(ParameterKeys.ReportUrl), httpsOnly: false),
            Sources = chosen,
        };
    }

    /// <summary>A bare flag on a command line means true; YAML spells booleans out.</summary>
    private static bool? Flag(Setting? s) => s switch
    {
        null => null,
        { Value: null } => true,
        { Value: "true" or "yes" or "1" } => true,
        { Value: "false" or "no" or "0" } => false,
        _ => throw new BadInputException($"{s.Origin}: {s.Key} must be true or false, not '{s.Value}'"),
    };

    private static Revision? Sha(Setting? s) =>
        s is null ? null
        : Revision.TryParse(s.Value, out var r) ? r
        : throw new BadInputException($"{s.Origin}: {s.Key} '{s.Value}' is not a full commit id (40 hexadecimal digits)");

    private static long? Number(Setting? s, long min, long max) =>
        s is null ? null
        : long.TryParse(s.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n
        : throw new BadInputException($"{s.Origin}: {s.Key} must be a whole number from {min} to {max}, not '{s.Value}'");

    private static string? NonEmpty(Setting? s) =>
        s is null ? null
        : string.IsNullOrWhiteSpace(s.Value) ? throw new BadInputException($"{s.Origin}: {s.Key} must not be empty")
        : s.Value;

    /// <summary>
    /// The configuration decides what the kiosk runs, so it travels over HTTPS only; reports carry no
    /// secret a kiosk needs, so a receiver may be plain HTTP (the token is only ever sent over HTTPS).
    /// </summary>
    private static Uri? Url(Setting? s, bool httpsOnly)
    {
        var value = NonEmpty(s);
        if (value is null)
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && (httpsOnly || uri.Scheme != Uri.UriSchemeHttp)))
        {
            throw new BadInputException($"{s!.Origin}: {s.Key} '{value}' must be an absolute {(httpsOnly ? "https://" : "http:// or https://")} URL");
        }

        return uri;
    }

    private static string? Flavour(Setting? s) =>
        s is null ? null
        : s.Value is { Length: > 0 } v && v.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? v
        : throw new BadInputException($"{s.Origin}: kernel-flavour '{s.Value}' must be letters, digits, '-', '_' or '.'");

    /// <summary>Key files named relative to config.yaml's directory, so a medium is self-contained.</summary>
    private static string? PathValue(Setting? s, string configPath)
    {
        var value = NonEmpty(s);
        if (value is null)
        {
            return null;
        }

        return Path.IsPathRooted(value) ? value : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath)) ?? "/", value));
    }

    private static bool IsRefName(string? name) =>
        name is { Length: > 0 }
        && !name.StartsWith('-') && !name.StartsWith('/') && !name.EndsWith('/') && !name.EndsWith(".lock", StringComparison.Ordinal)
        && !name.Contains("..", StringComparison.Ordinal) && !name.Contains("//", StringComparison.Ordinal)
        && !name.Contains("@{", StringComparison.Ordinal)
        && name.All(c => c > ' ' && c != 0x7f && c is not ('~' or '^' or ':' or '?' or '*' or '[' or '\\'));
}
