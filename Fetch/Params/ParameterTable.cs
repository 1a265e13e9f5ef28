using System.Globalization;

namespace Webc.BootSafe.Fetch.Params;

/// <summary>
/// The effective parameters as rows of key, value (as written in config.yaml) and where it came
/// from, in the order `params` prints them.
/// </summary>
public sealed record ParameterRow(string Key, string? Value, string Source)
{
    public static IEnumerable<ParameterRow> Of(BootParameters p)
    {
        ParameterRow Row(string key, string? value) => new(key, value, p.Sources.TryGetValue(key, out var s) ? s.Origin : "default");
        string Bool(bool b) => b ? "true" : "false";
        string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
        yield return Row(ParameterKeys.FetchRevision, p.FetchRevision);
        yield return Row(ParameterKeys.UpdateRevision, p.UpdateRevision?.Sha);
        yield return Row(ParameterKeys.NoUpgrade, Bool(p.NoUpgrade));
        yield return Row(ParameterKeys.Debug, Bool(p.Debug));
        yield return Row(ParameterKeys.GitRevision, p.GitRevision?.Sha);
        yield return Row(ParameterKeys.BootAppend, p.BootAppend);
        yield return Row(ParameterKeys.KernelFlavour, p.KernelFlavour);
        yield return Row(ParameterKeys.Remote, p.Remote);
        yield return Row(ParameterKeys.SshAllowedSigners, p.SshAllowedSigners);
        yield return Row(ParameterKeys.OpenPgpKeyring, p.OpenPgpKeyring);
        yield return Row(ParameterKeys.RequireSignature, Bool(p.RequireSignature));
        yield return Row(ParameterKeys.AllowUnsigned, Bool(p.AllowUnsigned));
        yield return Row(ParameterKeys.AllowDowngrade, Bool(p.AllowDowngrade));
        yield return Row(ParameterKeys.MaxFetchBytes, Number(p.MaxFetchBytes));
        yield return Row(ParameterKeys.MaxObjectBytes, Number(p.MaxObjectBytes));
        yield return Row(ParameterKeys.FetchRetries, Number(p.FetchRetries));
        yield return Row(ParameterKeys.ConfigUrl, p.ConfigUrl?.ToString());
        yield return Row(ParameterKeys.ConfigCa, p.ConfigCa);
        yield return Row(ParameterKeys.DeviceToken, p.DeviceToken);
        yield return Row(ParameterKeys.ReportUrl, p.ReportUrl?.ToString());
        yield return Row(ParameterKeys.MaxTrialBoots, Number(p.MaxTrialBoots));
    }
}
