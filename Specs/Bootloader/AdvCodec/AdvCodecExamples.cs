using System.Collections.Immutable;
using System.Text;
using Webc.BootSafe.Bootloader.Adv;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Specs.Bootloader.AdvCodecSpecs;

/// <summary>Byte dumps seen on disk after the real extlinux wrote them (reference lab), and the limits.</summary>
public sealed class AdvCodecExamples
{
    [Fact]
    public void Once_B_encodes_as_extlinux_wrote_it()
    {
        var bytes = AdvCodec.Encode(Adv.Empty.WithBootOnce("B"));
        Assert.Equal(Convert.FromHexString("a52f2d5a6616c2a20101420000"), bytes[..13]);
    }

    [Fact]
    public void An_empty_adv_has_the_checksum_target_as_its_checksum()
    {
        Assert.Equal(Convert.FromHexString("a52f2d5a671704a300"), AdvCodec.Encode(Adv.Empty)[..9]);
    }

    [Fact]
    public void Menu_save_then_once_with_arguments_keeps_menu_save_first()
    {
        var adv = Adv.Empty.WithMenuSave("A").WithBootOnce("B extra=1");
        var records = AdvCodec.Encode(adv).AsSpan(8, 15).ToArray();
        Assert.Equal([0x02, 0x01, (byte)'A', 0x01, 0x09, .. Encoding.ASCII.GetBytes("B extra=1"), 0x00], records);
        Assert.Equal("B extra=1", adv.BootOnce);
        Assert.Equal("A", adv.MenuSave);
    }

    [Fact]
    public void Clearing_once_keeps_menu_save_and_unknown_tags()
    {
        var adv = new Adv([new AdvRecord(7, [1, 2, 3]), new AdvRecord(AdvTags.BootOnce, [.. "trial"u8]), new AdvRecord(AdvTags.MenuSave, [.. "good"u8])]);
        var cleared = adv.WithBootOnce(null);
        Assert.Null(cleared.BootOnce);
        // ToArray: xunit compares ImmutableArray by its IEquatable (reference), not by elements.
        Assert.Equal([new AdvRecord(7, [1, 2, 3]), new AdvRecord(AdvTags.MenuSave, [.. "good"u8])], cleared.Records.ToArray());
        Assert.Equal(cleared, adv.WithBootOnce(""));
    }

    [Fact]
    public void A_once_of_256_bytes_is_refused_naming_the_record()
    {
        var e = Assert.Throws<BadInputException>(() => Adv.Empty.WithBootOnce(new string('x', 256)));
        Assert.Contains("BOOTONCE", e.Message);
        Assert.Contains("255", e.Message);
        Assert.Equal(255, Encoding.UTF8.GetByteCount(Adv.Empty.WithBootOnce(new string('x', 255)).BootOnce!));
    }

    [Fact]
    public void Records_over_500_bytes_together_are_refused()
    {
        var full = Adv.Empty.With(9, new byte[255]).With(10, new byte[238]); // 257 + 240 = 497
        var e = Assert.Throws<BadInputException>(() => full.WithBootOnce("trial"));
        Assert.Contains("500", e.Message);
        Assert.Equal(500, full.WithBootOnce("t").EncodedLength);
    }

    [Fact]
    public void A_once_with_a_control_character_is_refused()
    {
        Assert.Throws<BadInputException>(() => Adv.Empty.WithBootOnce("trial\nx"));
        Assert.Throws<BadInputException>(() => Adv.Empty.WithBootOnce("trial\0"));
    }

    [Fact]
    public void Tag_0_cannot_be_set()
    {
        Assert.Throws<BadInputException>(() => Adv.Empty.With(0, [1]));
        Assert.Throws<BadInputException>(() => new Adv([new AdvRecord(0, [1])]));
    }

    [Fact]
    public void A_record_running_past_the_area_is_dropped_like_syslinux_getadv_does()
    {
        var adv = Adv.Empty.With(9, new byte[250]).With(8, new byte[240]); // 252 + 242 = 494 bytes
        var bytes = AdvCodec.Encode(adv);
        var copy = bytes.AsSpan(0, 512);
        copy[8 + 494] = 5;
        copy[8 + 495] = 10; // 10 bytes claimed, 4 left
        var sum = 0u;
        for (var i = 8; i < 508; i += 4)
        {
            sum += BitConverter.ToUInt32(copy[i..]);
        }

        BitConverter.TryWriteBytes(copy[4..], 0xa3041767 - sum);
        var read = AdvCodec.Decode(bytes);
        Assert.Equal(AdvCopyStatus.Valid, read.Copy0);
        Assert.Equal(adv, read.Adv);
    }
}
