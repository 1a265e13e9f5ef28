using System.Text;
using System.Text.RegularExpressions;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Fetch.Verification;

namespace Webc.BootSafe.Provision;

/// <summary>
/// The medium's config.yaml and the key files it names, made self-contained: the trusted key files
/// given in --config are copied next to it and named relatively, so the medium verifies updates
/// with the same keys the installer verified the installed revision with. remote and fetch-revision
/// default to the repository and branch installed from.
/// </summary>
public sealed partial record MediumConfig(
    BootParameters Parameters, TrustedKeys Keys, string Text, IReadOnlyDictionary<string, byte[]> KeyFiles, string Origin)
{
    public const string AllowedSignersName = "allowed_signers";
    public const string KeyringName = "keyring.asc";

    /// <param name="configPath">--config, or null for the defaults.</param>
    /// <param name="remote">Where updates come from: the URL or absolute path installed from.</param>
    /// <param name="branch">The branch installed from, or null when a commit id was given.</param>
    public static MediumConfig Load(string? configPath, string remote, string? branch)
    {
        string? yaml = null;
        if (configPath is not null)
        {
            if (!File.Exists(configPath))
            {
                throw new Medium.Errors.BadInputException($"--config {configPath}: no such file");
            }

            yaml = File.ReadAllText(configPath);
        }

        var fullConfigPath = Path.GetFullPath(configPath ?? "config.yaml");
        var parameters = BootParameterResolver.Resolve(new ParameterSources(null, null, yaml, ConfigPath: fullConfigPath));
        var keys = TrustedKeys.Load(parameters);

        var settings = yaml is null ? [] : ConfigFile.Parse(yaml, fullConfigPath).ToList();
        var keyFiles = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var lines = new StringBuilder();
        lines.Append("# Written by webc-bootsafe install").Append(configPath is null ? " (defaults)" : $" from {Path.GetFullPath(configPath)}").Append('\n');
        foreach (var setting in settings)
        {
            var value = setting.Value;
            if (setting.Key == ParameterKeys.SshAllowedSigners && parameters.SshAllowedSigners is { } signers)
            {
                keyFiles[AllowedSignersName] = File.ReadAllBytes(signers);
                value = AllowedSignersName;
            }
            else if (setting.Key == ParameterKeys.OpenPgpKeyring && parameters.OpenPgpKeyring is { } keyring)
            {
                keyFiles[KeyringName] = File.ReadAllBytes(keyring);
                value = KeyringName;
            }

            Line(lines, setting.Key, value);
        }

        if (parameters.Remote is null)
        {
            Line(lines, ParameterKeys.Remote, remote);
        }

        if (branch is not null && !parameters.Sources.ContainsKey(ParameterKeys.FetchRevision))
        {
            Line(lines, ParameterKeys.FetchRevision, branch);
        }

        return new MediumConfig(parameters, keys, lines.ToString(), keyFiles, configPath ?? "defaults");
    }

    public VerificationPolicy Policy => new(Keys, Parameters.AllowUnsigned, Parameters.AllowDowngrade, Parameters.KernelFlavour);

    private static void Line(StringBuilder lines, string key, string? value)
    {
        lines.Append(key).Append(':');
        if (value is not null)
        {
            lines.Append(' ').Append(Plain().IsMatch(value) ? value : Quoted(value));
        }

        lines.Append('\n');
    }

    private static string Quoted(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex("^[A-Za-z0-9_./@+=-][A-Za-z0-9_./@+=:~-]*$")]
    private static partial Regex Plain();
}
