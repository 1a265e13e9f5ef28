using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Specs.Fetch;

public sealed class BootParameterSpecs
{
    private const string Sha1 = "0123456789abcdef0123456789abcdef01234567";
    private const string Sha2 = "89abcdef0123456789abcdef0123456789abcdef";

    private static BootParameters Resolve(string? proc = null, string? downloaded = null, string? yaml = null) =>
        BootParameterResolver.Resolve(new ParameterSources(proc, downloaded, yaml));

    [Fact]
    public void Defaults_apply_when_no_source_says_anything()
    {
        var p = Resolve();
        Assert.Equal("master", p.FetchRevision);
        Assert.True(p.RequireSignature);
        Assert.False(p.AllowDowngrade);
        Assert.False(p.NoUpgrade);
        Assert.Null(p.UpdateRevision);
        Assert.Empty(p.Sources);
    }

    [Fact]
    public void Quoted_values_keep_their_spaces_and_lose_their_quotes()
    {
        var p = Resolve("boot=live boot_append=\"quiet splash=a b\" \"kernel-flavour=amd64\" debug");
        Assert.Equal("quiet splash=a b", p.BootAppend);
        Assert.Equal("amd64", p.KernelFlavour);
        Assert.True(p.Debug);
    }

    [Fact]
    public void The_downloaded_cmdline_wins_over_proc_cmdline_which_wins_over_config_yaml()
    {
        var p = Resolve("fetch-revision=stable update-revision=" + Sha1, "fetch-revision=test", "fetch-revision: lts\nkernel-flavour: 686\n");
        Assert.Equal("test", p.FetchRevision);
        Assert.Equal(ParameterSource.DownloadedCmdline, p.Sources[ParameterKeys.FetchRevision].Source);
        Assert.Equal(Sha1, p.UpdateRevision?.Sha);
        Assert.Equal(ParameterSource.ProcCmdline, p.Sources[ParameterKeys.UpdateRevision].Source);
        Assert.Equal("686", p.KernelFlavour);
        Assert.Equal(ParameterSource.ConfigFile, p.Sources[ParameterKeys.KernelFlavour].Source);
    }

    [Fact]
    public void A_command_line_cannot_switch_off_verification()
    {
        var p = Resolve("allow-unsigned=true allow-downgrade=true remote=http://evil", "allow-unsigned");
        Assert.True(p.RequireSignature);
        Assert.False(p.AllowDowngrade);
        Assert.Null(p.Remote);
    }

    [Fact]
    public void An_unknown_config_key_is_an_error_naming_its_line()
    {
        var e = Assert.Throws<BadInputException>(() => Resolve(yaml: "remote: /srv/x\n\nmax-fetch-byte: 10\n"));
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("unknown key 'max-fetch-byte'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("max-fetch-bytes: lots\n", "max-fetch-bytes must be a whole number")]
    [InlineData("allow-downgrade: maybe\n", "allow-downgrade must be true or false")]
    [InlineData("update-revision: abc\n", "not a full commit id")]
    [InlineData("require-signature: false\n", "needs allow-unsigned: true")]
    [InlineData("remote: [a, b]\n", "single value")]
    [InlineData("fetch-revision: a..b\n", "not a branch or tag name")]
    public void A_bad_config_value_is_an_error_naming_the_line(string yaml, string expected)
    {
        var e = Assert.Throws<BadInputException>(() => Resolve(yaml: "# comment\n" + yaml));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Property]
    public Property On_one_command_line_the_last_repetition_wins(NonEmptyArray<bool> order)
    {
        var values = order.Get.Select(b => b ? Sha1 : Sha2).ToArray();
        var line = "quiet " + string.Join(" noise ", values.Select(v => "update-revision=" + v));
        return (Resolve(line).UpdateRevision?.Sha == values[^1]).ToProperty();
    }

    [Property]
    public Property Any_value_survives_quoting(NonNull<string> raw)
    {
        var value = new string(raw.Get.Where(c => c != '"' && c != '\0').ToArray());
        var parsed = KernelCommandLine.Parse($"a=1 boot_append=\"{value}\" b", ParameterSource.ProcCmdline, "t");
        return (parsed.Single(s => s.Key == "boot_append").Value == value).ToProperty();
    }
}
