namespace Webc.BootSafe.Updates.Staging;

/// <summary>A revision's kernel and initrd, read in full before anything on the medium changes.</summary>
public sealed record KernelImages(byte[] Kernel, byte[] Initrd);
