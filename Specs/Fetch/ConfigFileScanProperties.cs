using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Specs.Fetch;

/// <summary>
/// The boot path's reading of config.yaml without a YAML parser (<see cref="ConfigFileScan"/>) against
/// <see cref="ConfigFile.Parse"/> (YamlDotNet): wherever the scan answers, YamlDotNet parses the file
/// and agrees on whether report-url is set; and the scan does answer for the plain form the tools,
/// docs and examples write, so it is not "not sure" about everything.
/// </summary>
[Properties(Arbitrary = [typeof(ConfigFileScanProperties)], MaxTest = 3000)]
public sealed class ConfigFileScanProperties
{
    private static readonly string[] Keys = [ParameterKeys.ReportUrl, ParameterKeys.ReportUrl, ParameterKeys.Remote, ParameterKeys.ConfigUrl, ParameterKeys.Debug, "report_url", "unknown"];

    private static readonly string[] PlainValues =
        ["http://127.0.0.1:8080/r", "https://fleet.example/report?k=1&x=2", "a#b", "x", "~", "null", "yes", "0", "a,b", "a]b", "a'b", "a\"b", "-x", "100%", "a!b", "a&b", "a*b", "a|b"];

    /// <summary>Values on the edge of the plain form: indicators, tags, anchors, colons, quotes with a tail.</summary>
    private static readonly string[] EdgeValues =
    [
        "!t", "!!str", "!t x", "&a", "&a x", "*a", "a: b", "http:", "a :b", "a:b", "'a' b", "'a'b", "\"a\" #c", "\"a\"#c", "- x", "-", "? x",
        "?x", "|", "|\n  x", ">", "{a: b}", "{}", "[a]", "[]", "%x", "@x", "`x", "# c", "#", "' '", "'", "\"", "''''", "'a''b'", "\"\\\"\"",
    ];

    private static readonly string[] Pieces =
    [
        "", " ", "  ", "\t", ":", ": ", " #", "# c", "#", "'", "''", "\"", "\\", "\\n", "-", "- ", "?", "[", "]", "{", "}", ",",
        "&a", "*a", "!t", "!!str ", "|", ">", "%", "@", "`", "~", "\r", "\r\n", "\n", "\n  ", "---", "...", "\ufeff", "ü", "http://h/r",
    ];

    private static readonly Gen<string> Value =
        Gen.Frequency(
            (3, Gen.Elements(PlainValues)),
            (4, Gen.Elements(EdgeValues)),
            (2, from v in Gen.Elements(PlainValues) from q in Gen.Elements("'", "\"") select q + v.Replace(q, q == "'" ? "''" : string.Empty) + q),
            (1, Gen.Elements(string.Empty, " ", "''", "\"\"", "' '")),
            (2, from n in Gen.Choose(1, 5) from parts in Gen.ListOf(Gen.Elements(Pieces), n) select string.Concat(parts)));

    private static readonly Gen<string> Line =
        Gen.Frequency(
            (12, from indent in Gen.Frequency((8, Gen.Constant(string.Empty)), (1, Gen.Elements(" ", "  ")))
                from key in Gen.Elements(Keys)
                from sep in Gen.Frequency((8, Gen.Constant(": ")), (1, Gen.Elements(":  ", ":", " : ")))
                from value in Value
                from comment in Gen.Frequency((6, Gen.Constant(string.Empty)), (1, Gen.Elements(" # note", "  #x", "#glued")))
                select indent + key + sep + value + comment),
            (1, Gen.Elements(string.Empty, "   ", "# report-url: http://h/r", "  # indented", "---", "...", "- item", "report-url:\n  http://h/r")),
            (1, from n in Gen.Choose(1, 6) from parts in Gen.ListOf(Gen.Elements(Pieces.Concat(Keys).ToArray()), n) select string.Concat(parts)));

    private static readonly Gen<string> Text =
        from n in Gen.Choose(0, 6)
        from lines in Gen.ListOf(Line, n)
        from end in Gen.Elements("\n", "\r\n")
        from last in Gen.Elements(string.Empty, "\n")
        select string.Join(end, lines) + last;

    /// <summary>What the plain form the scan must answer for looks like: known keys, once each, simple values.</summary>
    private static readonly Gen<string> PlainText =
        from keys in Gen.Shuffle(new[] { ParameterKeys.ReportUrl, ParameterKeys.Remote, ParameterKeys.ConfigUrl, ParameterKeys.Debug })
        from n in Gen.Choose(0, 4)
        from values in Gen.ListOf(Gen.Elements(PlainValues.Where(v => v[0] != '-').Concat(["'quoted: value'", "\"http://h/r\"", string.Empty]).ToArray()), n)
        from comments in Gen.ListOf(Gen.Elements(string.Empty, " # why", "\n# a whole line", "\n"), n)
        select string.Concat(keys.Take(n).Select((k, i) => $"{k}: {values[i]}{comments[i]}\n"));

    public static Arbitrary<string> Texts() => Gen.Frequency((4, Text), (1, PlainText)).ToArbitrary();

    [Property]
    public void Where_the_scan_answers_YamlDotNet_parses_the_file_and_agrees(string text)
    {
        if (ConfigFileScan.SetsReportUrl(text) is not { } scanned)
        {
            return;
        }

        IReadOnlyList<Setting> settings;
        try
        {
            settings = ConfigFile.Parse(text, "config.yaml");
        }
        catch (BadInputException e)
        {
            Assert.Fail($"the scan answered {scanned} for a file YamlDotNet refuses ({e.Message}): {Show(text)}");
            return;
        }

        var parsed = settings.Any(s => s.Key == ParameterKeys.ReportUrl && !string.IsNullOrWhiteSpace(s.Value));
        Assert.True(parsed == scanned, $"scan {scanned}, YamlDotNet {parsed}: {Show(text)}");
    }

    [Fact]
    public void The_scan_answers_for_the_plain_form()
    {
        var unsure = PlainText.Sample(10, 500)
            .Where(t => ConfigFileScan.SetsReportUrl(t) is null)
            .ToList();
        Assert.True(unsure.Count == 0, $"not sure about plain files, e.g. {Show(unsure.FirstOrDefault() ?? string.Empty)}");

        Assert.True(ConfigFileScan.SetsReportUrl("remote: git://h/r\nreport-url: https://fleet.example/r # where\n"));
        Assert.True(ConfigFileScan.SetsReportUrl("report-url: 'https://fleet.example/r'\r\n"));
        Assert.False(ConfigFileScan.SetsReportUrl("# report-url: https://fleet.example/r\nremote: git://h/r\n"));
        Assert.False(ConfigFileScan.SetsReportUrl("report-url:\n"));
        Assert.False(ConfigFileScan.SetsReportUrl(string.Empty));
        Assert.Null(ConfigFileScan.SetsReportUrl("report-url: [a, b]\n"));
        Assert.Null(ConfigFileScan.SetsReportUrl("report-url: >\n  https://fleet.example/r\n"));
    }

    private static string Show(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
