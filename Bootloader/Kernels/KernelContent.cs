using System.Security.Cryptography;
using System.Text;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Bootloader.Kernels;

/// <summary>
/// A kernel or initrd to install, as a stream opened when it is needed and never held in memory
/// whole (an initrd may be hundreds of MB; a kiosk may have less RAM). From a git blob, every pass
/// re-hashes what it streams as git does (<c>blob LEN\0</c> + content, SHA-1) and fails at the end
/// unless that is the blob's id: what is installed is exactly what was verified.
/// </summary>
public sealed class KernelContent
{
    private readonly Func<(Stream Content, IDisposable? Owner)> _open;
    private readonly string? _blobId;
    private byte[]? _sha256;

    private KernelContent(string what, long length, Func<(Stream Content, IDisposable? Owner)> open, string? blobId)
    {
        What = what;
        Length = length;
        _open = open;
        _blobId = blobId;
    }

    /// <summary>Where it comes from, for messages (a path, or a path in a commit and its blob id).</summary>
    public string What { get; }

    public long Length { get; }

    public bool IsEmpty => Length == 0;

    public static KernelContent FromBytes(byte[] content, string what = "content") =>
        new(what, content.Length, () => (new MemoryStream(content, writable: false), null), null);

    public static KernelContent FromFile(string path) =>
        new(path, new FileInfo(path).Length, () => (new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), null), null);

    /// <param name="blobId">The blob's 40-hex id: every pass checks the streamed bytes hash to it.</param>
    /// <param name="open">Opens the blob's content (inflated) and what it reads through (disposed with it).</param>
    public static KernelContent FromGitBlob(string what, string blobId, long length, Func<(Stream Content, IDisposable? Owner)> open) =>
        new($"{what} ({blobId})", length, open, blobId);

    /// <summary>
    /// A stream of the content that, when read to its end, throws <see cref="OperationFailedException"/>
    /// unless it had <see cref="Length"/> bytes (and, from a blob, hashed to the blob's id). Reading it
    /// to the end also records the content's SHA-256 (see <see cref="Sha256"/>).
    /// </summary>
    public Stream OpenChecked() => new CheckedStream(this, _open());

    /// <summary>The content's SHA-256, streaming it once (checked like <see cref="OpenChecked"/>) unless a pass already did.</summary>
    public byte[] Sha256()
    {
        if (_sha256 is null)
        {
            using var stream = OpenChecked();
            stream.CopyTo(Stream.Null, 1 << 20);
        }

        return _sha256!;
    }

    private sealed class CheckedStream : Stream
    {
        private readonly KernelContent _content;
        private readonly Stream _inner;
        private readonly IDisposable? _owner;
        private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly IncrementalHash? _gitSha1;
        private long _read;
        private bool _checked;

        public CheckedStream(KernelContent content, (Stream Content, IDisposable? Owner) opened)
        {
            _content = content;
            (_inner, _owner) = opened;
            if (content._blobId is not null)
            {
                // Git's object id: SHA-1 of "blob <decimal length>\0" and the content.
                _gitSha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
                _gitSha1.AppendData(Encoding.ASCII.GetBytes($"blob {content.Length}\0"));
            }
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _content.Length;

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = _inner.Read(buffer);
            if (n > 0)
            {
                _read += n;
                _sha256.AppendData(buffer[..n]);
                _gitSha1?.AppendData(buffer[..n]);
                if (_read > _content.Length)
                {
                    throw new OperationFailedException($"{_content.What}: longer than its {_content.Length} bytes");
                }
            }
            else if (!_checked)
            {
                Check();
            }

            return n;
        }

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
                _inner.Dispose();
                _owner?.Dispose();
                _sha256.Dispose();
                _gitSha1?.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Check()
        {
            _checked = true;
            if (_read != _content.Length)
            {
                throw new OperationFailedException($"{_content.What}: {_read} bytes read, {_content.Length} expected");
            }

            if (_gitSha1 is not null && Convert.ToHexStringLower(_gitSha1.GetHashAndReset()) != _content._blobId)
            {
                throw new OperationFailedException($"{_content.What}: its content does not hash to its blob id (the repository is corrupt)");
            }

            _content._sha256 = _sha256.GetHashAndReset();
        }
    }
}
