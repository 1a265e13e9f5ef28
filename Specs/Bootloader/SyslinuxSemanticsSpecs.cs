using Webc.BootSafe.Bootloader.Extlinux;

namespace Webc.BootSafe.Specs.Bootloader;

/// <summary>The parser against readconfig.c's rules (com32/elflink/ldlinux/readconfig.c, syslinux 6).</summary>
public sealed class SyslinuxSemanticsSpecs
{
    [Fact]
    public void The_first_label_of_a_name_wins_and_the_last_default_wins()
    {
        var config = SyslinuxConfigParser.Parse("DEFAULT a\nLABEL x\n  LINUX /first\nLABEL x\n  LINUX /second\nDEFAULT x\n");
        Assert.Equal("/first", config.Find("x")!.Kernel);
        Assert.Equal("x", config.Default);
    }

    [Fact]
    public void A_keyword_needs_whitespace_after_it_and_case_does_not_matter()
    {
        var config = SyslinuxConfigParser.Parse("DEFAULTgood\n\tdEfAuLt\tx\nlabel x extra\n");
        Assert.Equal("x", config.Default);
        Assert.NotNull(config.Find("x"));
    }

    [Fact]
    public void Ui_keeps_the_default_command_and_text_swallows_lines()
    {
        var config = SyslinuxConfigParser.Parse("UI menu.c32\nTEXT HELP\nDEFAULT hidden\nENDTEXT\nDEFAULT good\n");
        Assert.Equal("menu.c32", config.Ui);
        Assert.Equal("good", config.Default);
        Assert.Null(SyslinuxConfigParser.Parse("TEXT HELP\nLABEL good\n").Find("good"));
    }

    [Fact]
    public void Include_is_read_in_place_and_a_global_append_fills_labels_without_one()
    {
        var config = SyslinuxConfigParser.Parse(
            "APPEND quiet\nINCLUDE a.cfg\nLABEL good\n  LINUX /ours\n  APPEND ours\n",
            name => name == "a.cfg" ? "LABEL good\n  LINUX /theirs\n" : null);
        Assert.Equal("/theirs", config.Find("good")!.Kernel);
        Assert.Equal("quiet", config.Find("good")!.Append);
        Assert.Equal("a.cfg", Assert.Single(config.Includes));
    }

    [Fact]
    public void A_label_without_a_kernel_line_loads_a_file_named_after_it_and_menu_disable_hides_it()
    {
        Assert.Equal("rescue", SyslinuxConfigParser.Parse("LABEL rescue\n").Find("rescue")!.Kernel);
        Assert.Null(SyslinuxConfigParser.Parse("LABEL good\nMENU DISABLE\n").Find("good"));
    }

    [Fact]
    public void A_line_ends_at_its_first_carriage_return()
    {
        Assert.Equal("a", SyslinuxConfigParser.Parse("DEFAULT a\rDEFAULT b\n").Default);
    }
}
