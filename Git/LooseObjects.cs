using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Webc.BootSafe.Git;

/// <summary>Loose objects: one zlib file each, "type size\0" then the body.</summary>
public sealed class LooseObjects(string objectsDir)
{
    public string ObjectsDir => objectsDir;

    public string PathOf(ObjectId id)
    {
        var hex = id.ToString();
        return Path.Combine(objectsDir, hex[..2], hex[2..]);
    }

    public bool Contains(ObjectId id) => File.Exists(PathOf(id));

    public ObjectHeader? TryReadHeader(ObjectId id)
    {
        using var file = TryOpen(id);
        if (file is null)
        {
            return null;
        }

        Span<byte> prefix = stackalloc byte[32];
        var n = Inflate.Prefix(file, 0, prefix, PathOf(id));
        var (header, _) = ParseHeader(prefix[..n], id);
        return header;
    }

    public (ObjectType Type, byte[] Data)? TryRead(ObjectId id)
    {
        var stream = TryOpenStream(id);
        if (stream is null)
        {
            return null;
        }

        using var s = stream.Value.Stream;
        var data = new byte[stream.Value.Header.Size];
        try
        {
            s.ReadExactly(data);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw new CorruptRepositoryException($"{PathOf(id)}: body shorter than its header says", e);
        }

        return (stream.Value.Header.Type, data);
    }

    /// <summary>The body as a stream positioned after the header; the caller disposes it.</summary>
    public (Stream Stream, ObjectHeader Header)? TryOpenStream(ObjectId id)
    {
        var file = TryOpen(id);
        if (file is null)
        {
            return null;
        }

        var z = Inflate.Open(file, 0);
        Span<byte> one = stackalloc byte[1];
        Span<byte> head = stackalloc byte[32];
        var n = 0;
        while (true)
        {
            if (n == head.Length || z.Read(one) == 0)
            {
                z.Dispose();
                file.Dispose();
                throw new CorruptRepositoryException($"{PathOf(id)}: no object header");
            }

            head[n++] = one[0];
            if (one[0] == 0)
            {
                break;
            }
        }

        var (header, _) = ParseHeader(head[..n], id);
        return (new OwningStream(z, file), header);
    }

    private SafeFileHandle? TryOpen(ObjectId id)
    {
        try
        {
            return File.OpenHandle(PathOf(id), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private (ObjectHeader Header, int BodyStart) ParseHeader(ReadOnlySpan<byte> prefix, ObjectId id)
    {
        var nul = prefix.IndexOf((byte)0);
        var space = prefix.IndexOf((byte)' ');
        if (nul < 0 || space < 0 || space > nul
            || !long.TryParse(Encoding.ASCII.GetString(prefix[(space + 1)..nul]), out var size))
        {
            throw new CorruptRepositoryException($"{PathOf(id)}: bad object header");
        }

        var type = Encoding.ASCII.GetString(prefix[..space]) switch
        {
            "commit" => ObjectType.Commit,
            "tree" => ObjectType.Tree,
            "blob" => ObjectType.Blob,
            "tag" => ObjectType.Tag,
            var other => throw new CorruptRepositoryException($"{PathOf(id)}: unknown type '{other}'"),
        };
        return (new ObjectHeader(type, size), nul + 1);
    }

    /// <summary>Keeps the file handle alive as long as the inflating stream over it.</summary>
    private sealed class OwningStream(Stream inner, SafeFileHandle file) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                file.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
