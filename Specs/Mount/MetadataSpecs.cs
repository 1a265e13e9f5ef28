using FsCheck;
using FsCheck.Fluent;
using Webc.BootSafe.Mount.Metadata;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Specs.Mount;

/// <summary>The metadata file parses with the static YAML context and bad content names its line.</summary>
public sealed class MetadataSpecs
{
    private static readonly AccountNames Accounts = new("root:x:0:0::/root:/bin/sh\nwebc:x:1000:1000::/home/webc:/bin/sh\n", "root:x:0:\nusers:x:100:\n");

    [Fact]
    public void A_good_file_gives_rules_and_directories_in_order()
    {
        var rules = MetadataRules.Parse("""
            version: 1
            rules:
              - path: "home/webc/**"
                owner: webc
                group: users
              - path: usr/bin/sudo
                mode: "4755"
            directories:
              - path: /tmp/
                mode: "1777"
            """, Accounts);
        Assert.Equal(["tmp"], rules.Directories);
        Assert.Equal(3, rules.Rules.Count);
        Assert.Equal(0x3FF, rules.Rules[0].Permissions);
        Assert.Equal(1000u, rules.Rules[1].Uid);
        Assert.Equal(100u, rules.Rules[1].Gid);
        Assert.Equal(0x9ED, rules.Rules[2].Permissions);
    }

    [Theory]
    [InlineData("version: 1\nrules:\n  - path: a\n    mode: \"0999\"\n", 3, "mode '0999'")]
    [InlineData("version: 1\nrules:\n  - path: a\n    mode: \"0644\"\n  - path: b\n    owner: nobody\n", 5, "owner 'nobody'")]
    [InlineData("version: 1\nrules:\n  - path: ../etc\n    mode: \"0644\"\n", 3, "'..'")]
    [InlineData("version: 1\nrules:\n  - path: a\n", 3, "sets none")]
    [InlineData("version: 1\nrules:\n  - path: a\n    colour: red\n", 4, "colour")]
    [InlineData("version: 1\nrules: [\n", 3, "")]
    [InlineData("version: 1\ndirectories:\n  - mode: \"0755\"\n", 3, "'path' is missing")]
    [InlineData("version: 1\ndirectories:\n  - path: \"var/*\"\n", 3, "glob")]
    public void Bad_content_is_an_error_naming_the_line(string yaml, int line, string detail)
    {
        var e = Assert.Throws<BadInputException>(() => MetadataRules.Parse(yaml, Accounts));
        Assert.Contains($".bootsafe/metadata.yaml line {line}", e.Message);
        Assert.Contains(detail, e.Message);
    }

    [Theory]
    [InlineData("bin/*", "bin/sh", true)]
    [InlineData("bin/*", "bin", false)]
    [InlineData("bin/*", "bin/x/y", false)]
    [InlineData("home/webc/**", "home/webc", true)]
    [InlineData("home/webc/**", "home/webc/a/b/c", true)]
    [InlineData("home/webc/**", "home/webcx", false)]
    [InlineData("**/*.sh", "a/b/c.sh", true)]
    [InlineData("**/*.sh", "c.sh", true)]
    [InlineData("etc/sudoers.d/?0*", "etc/sudoers.d/10-webc", true)]
    [InlineData("etc/sudoers", "etc/sudoers.d", false)]
    public void Globs_match_by_segments(string pattern, string path, bool matches) =>
        Assert.Equal(matches, new PathGlob(pattern).Matches(path));

    [Fact]
    public void A_literal_pattern_matches_exactly_its_own_path() =>
        Prop.ForAll(
            Gen.Elements("a", "b", "c.d", "é").ListOf().Where(l => l.Count > 0).Select(l => string.Join('/', l)).ToArbitrary(),
            Gen.Elements("a", "b", "c.d", "é").ListOf().Where(l => l.Count > 0).Select(l => string.Join('/', l)).ToArbitrary(),
            (string p, string q) => new PathGlob(p).Matches(q) == (p == q))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(300));
}
