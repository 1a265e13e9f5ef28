using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Webc.BootSafe.Specs.Fetch.Support;

/// <summary>
/// A pack of about 1 KB holding a 64 KiB blob of zeros and a delta on it that copies the whole base
/// 32768 times: a 2 GiB blob. Written with its .idx (computed here, never by index-pack, which would
/// itself rebuild the 2 GiB) into an upstream repository, so real git servers serve it as is.
/// </summary>
public static class HostilePack
{
    public const int BaseSize = 64 * 1024;
    public const int Copies = 32768;
    public const long ResultSize = (long)BaseSize * Copies;

    /// <summary>Adds the pack to <paramref name="objectsDir"/>; returns the base blob and the 2 GiB blob ids.</summary>
    public static (string Base, string Bomb, long PackBytes) Write(string objectsDir)
    {
        var baseData = new byte[BaseSize];
        var baseId = BlobId(baseData, 1);
        var bombId = BlobId(baseData, Copies);

        var delta = new List<byte>();
        Varint(delta, BaseSize);
        Varint(delta, ResultSize);
        // 0x80 alone: copy from base offset 0, size 0, which git reads as 0x10000 (the whole base).
        delta.AddRange(Enumerable.Repeat((byte)0x80, Copies));

        using var pack = new MemoryStream();
        pack.Write("PACK"u8);
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, 2);
        pack.Write(word);
        BinaryPrimitives.WriteUInt32BigEndian(word, 2);
        pack.Write(word);

        var baseOffset = pack.Position;
        pack.Write(EntryHeader(3, BaseSize));
        pack.Write(Deflate(baseData));
        var baseCrc = Crc32.Compute(pack.ToArray().AsSpan((int)baseOffset));

        var deltaOffset = pack.Position;
        pack.Write(EntryHeader(6, delta.Count));
        pack.Write(OffsetVarint(deltaOffset - baseOffset));
        pack.Write(Deflate([.. delta]));
        var deltaCrc = Crc32.Compute(pack.ToArray().AsSpan((int)deltaOffset));
        var packSum = SHA1.HashData(pack.ToArray());
        pack.Write(packSum);

        var entries = new[] { (Id: Convert.FromHexString(baseId), Crc: baseCrc, Offset: baseOffset), (Id: Convert.FromHexString(bombId), Crc: deltaCrc, Offset: deltaOffset) }
            .OrderBy(e => Convert.ToHexString(e.Id), StringComparer.Ordinal).ToArray();
        using var idx = new MemoryStream();
        idx.Write([0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2]);
        for (var b = 0; b < 256; b++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(word, (uint)entries.Count(e => e.Id[0] <= b));
            idx.Write(word);
        }

        foreach (var e in entries)
        {
            idx.Write(e.Id);
        }

        foreach (var e in entries)
        {
            BinaryPrimitives.WriteUInt32BigEndian(word, e.Crc);
            idx.Write(word);
        }

        foreach (var e in entries)
        {
            BinaryPrimitives.WriteUInt32BigEndian(word, (uint)e.Offset);
            idx.Write(word);
        }

        idx.Write(packSum);
        idx.Write(SHA1.HashData(idx.ToArray()));

        var name = Path.Combine(objectsDir, "pack", "pack-" + Convert.ToHexStringLower(packSum));
        Directory.CreateDirectory(Path.Combine(objectsDir, "pack"));
        File.WriteAllBytes(name + ".pack", pack.ToArray());
        File.WriteAllBytes(name + ".idx", idx.ToArray());
        return (baseId, bombId, pack.Length);
    }

    private static string BlobId(byte[] chunk, int repeat)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha.AppendData(System.Text.Encoding.ASCII.GetBytes($"blob {(long)chunk.Length * repeat}\0"));
        for (var i = 0; i < repeat; i++)
        {
            sha.AppendData(chunk);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            z.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] EntryHeader(int type, long size)
    {
        var bytes = new List<byte>();
        var b = (byte)((type << 4) | (int)(size & 0x0f));
        size >>= 4;
        while (size > 0)
        {
            bytes.Add((byte)(b | 0x80));
            b = (byte)(size & 0x7f);
            size >>= 7;
        }

        bytes.Add(b);
        return [.. bytes];
    }

    private static byte[] OffsetVarint(long n)
    {
        var bytes = new List<byte> { (byte)(n & 0x7f) };
        while ((n >>= 7) > 0)
        {
            n--;
            bytes.Insert(0, (byte)(0x80 | (n & 0x7f)));
        }

        return [.. bytes];
    }

    private static void Varint(List<byte> into, long n)
    {
        do
        {
            var b = (byte)(n & 0x7f);
            n >>= 7;
            into.Add(n > 0 ? (byte)(b | 0x80) : b);
        }
        while (n > 0);
    }
}
