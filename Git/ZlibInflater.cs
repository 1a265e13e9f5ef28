using System.Runtime.InteropServices;

namespace Webc.BootSafe.Git;

/// <summary>
/// zlib's own inflate, because a pack entry's length is known only once its zlib stream ends and
/// only zlib says how much input it left unused (.NET's DeflateStream reads ahead and hides it), and
/// because one inflater can be reset and reused where a ZLibStream cannot (scrub inflates tens of
/// thousands of small blobs). The z_stream lives in native memory: zlib keeps a pointer to it.
/// </summary>
public sealed unsafe partial class ZlibInflater : IDisposable
{
    private const int ZOk = 0;
    private const int ZStreamEnd = 1;
    private const int ZBufError = -5;

    [StructLayout(LayoutKind.Sequential)]
    private struct ZStream
    {
        public byte* NextIn;
        public uint AvailIn;
        public nuint TotalIn;
        public byte* NextOut;
        public uint AvailOut;
        public nuint TotalOut;
        public byte* Msg;
        public void* State;
        public void* ZAlloc;
        public void* ZFree;
        public void* Opaque;
        public int DataType;
        public nuint Adler;
        public nuint Reserved;
    }

    [LibraryImport("libz.so.1", EntryPoint = "inflateInit_")]
    private static partial int InflateInit(ZStream* stream, byte* version, int streamSize);

    [LibraryImport("libz.so.1", EntryPoint = "inflate")]
    private static partial int InflateNative(ZStream* stream, int flush);

    [LibraryImport("libz.so.1", EntryPoint = "inflateReset")]
    private static partial int InflateReset(ZStream* stream);

    [LibraryImport("libz.so.1", EntryPoint = "inflateEnd")]
    private static partial int InflateEnd(ZStream* stream);

    private readonly ZStream* _z;

    public ZlibInflater()
    {
        _z = (ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(ZStream));
        // zlib checks only the major version.
        ReadOnlySpan<byte> version = "1.2.11\0"u8;
        fixed (byte* v = version)
        {
            if (InflateInit(_z, v, sizeof(ZStream)) != ZOk)
            {
                NativeMemory.Free(_z);
                throw new InvalidOperationException("zlib inflateInit failed");
            }
        }
    }

    public void Reset() => InflateReset(_z);

    /// <summary>
    /// Inflates from <paramref name="input"/> into <paramref name="output"/>; returns the input
    /// bytes consumed, the output bytes produced, and whether the stream ended. Null: corrupt data.
    /// </summary>
    public (int Consumed, int Produced, bool Ended)? Inflate(ReadOnlySpan<byte> input, Span<byte> output)
    {
        fixed (byte* i = input)
        fixed (byte* o = output)
        {
            _z->NextIn = i;
            _z->AvailIn = (uint)input.Length;
            _z->NextOut = o;
            _z->AvailOut = (uint)output.Length;
            var rc = InflateNative(_z, 0);
            var consumed = input.Length - (int)_z->AvailIn;
            var produced = output.Length - (int)_z->AvailOut;
            _z->NextIn = null;
            _z->NextOut = null;
            return rc switch
            {
                ZOk or ZBufError => (consumed, produced, false),
                ZStreamEnd => (consumed, produced, true),
                _ => null,
            };
        }
    }

    /// <summary>
    /// Inflates until <paramref name="output"/> is full or no more comes: the stream ended, is
    /// corrupt, or needs input beyond <paramref name="input"/>, which is advanced past what was used.
    /// Returns the bytes produced; short of a full output with no <paramref name="ended"/>, the data
    /// is corrupt or truncated. Not ended with a full output: the caller may go on into more output.
    /// </summary>
    public int InflateInto(ref ReadOnlySpan<byte> input, Span<byte> output, out bool ended)
    {
        var produced = 0;
        ended = false;
        while (produced < output.Length)
        {
            if (Inflate(input, output[produced..]) is not { } step)
            {
                break; // corrupt
            }

            produced += step.Produced;
            input = input[step.Consumed..];
            ended = step.Ended;
            if (ended || step is { Consumed: 0, Produced: 0 })
            {
                break; // the end, or truncated: needs input it was not given
            }
        }

        return produced;
    }

    public void Dispose()
    {
        InflateEnd(_z);
        NativeMemory.Free(_z);
    }
}
