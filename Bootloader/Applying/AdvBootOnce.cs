using Webc.BootSafe.Bootloader.Adv;

namespace Webc.BootSafe.Bootloader.Applying;

/// <summary>BOOTONCE in the real ADV at the end of ldlinux.sys; other records are kept.</summary>
public sealed class AdvBootOnce(ExtlinuxAdvFile adv) : IBootOnce
{
    public string? Read() => adv.Read().Adv.BootOnce;

    public void Write(string? commandLine) => adv.Update(a => a.WithBootOnce(commandLine));

    public void RequireWritable() => adv.RequireWritable();
}
