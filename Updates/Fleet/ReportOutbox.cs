using System.Globalization;
using System.Text;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Updates.Fleet;

/// <summary>
/// The reports not yet accepted by report-url: <c>live/bootsafe/outbox/</c>, one file per report
/// named <c>SEQUENCE-KEY.json</c> (the sequence orders them, the key is the report's idempotency key),
/// each written atomically, so a power cut leaves whole reports or none. Bounded: beyond
/// <see cref="MaxReports"/> or <see cref="MaxBytes"/> the oldest are dropped and counted in
/// <c>dropped</c>, so a kiosk offline for months cannot fill its medium. Enqueue runs under the
/// medium lock; the poster deletes a file only after a 2xx.
/// </summary>
public sealed class ReportOutbox(MediumLayout layout, IMediumStorage storage)
{
    public const int MaxReports = 500;

    public const long MaxBytes = 1 << 20;

    public int ReportLimit { get; init; } = MaxReports;

    public long ByteLimit { get; init; } = MaxBytes;

    public string Directory => Path.Combine(layout.BootSafe, "outbox");

    public string DroppedFile => Path.Combine(Directory, "dropped");

    /// <summary>Writes a report durably, then drops the oldest beyond the bounds. Returns its file.</summary>
    public string Enqueue(Guid key, ReadOnlySpan<byte> json, DateTimeOffset at)
    {
        if (!storage.DirectoryExists(Directory))
        {
            storage.CreateDirectory(Directory);
        }

        var pending = Pending();
        var newest = pending.Count == 0 ? 0 : pending[^1].Sequence;
        var sequence = Math.Max(at.ToUnixTimeMilliseconds(), newest + 1);
        var path = Path.Combine(Directory, $"{sequence.ToString("D15", CultureInfo.InvariantCulture)}-{key:N}.json");
        storage.ReplaceAtomically(path, json);
        Bound();
        return path;
    }

    /// <summary>The queued reports, oldest first (temp files of an interrupted write are not reports).</summary>
    public IReadOnlyList<QueuedReport> Pending()
    {
        if (!storage.DirectoryExists(Directory))
        {
            return [];
        }

        var reports = new List<QueuedReport>();
        foreach (var name in storage.ListFiles(Directory))
        {
            if (QueuedReport.TryParse(Path.Combine(Directory, name), out var report))
            {
                reports.Add(report);
            }
        }

        reports.Sort((a, b) => a.Sequence != b.Sequence ? a.Sequence.CompareTo(b.Sequence) : string.CompareOrdinal(a.Path, b.Path));
        return reports;
    }

    /// <summary>How many reports the bounds dropped since the medium began reporting.</summary>
    public long Dropped =>
        storage.FileExists(DroppedFile) && long.TryParse(Encoding.ASCII.GetString(storage.ReadAllBytes(DroppedFile)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>Called after a 2xx only: the receiver has the report (it dedups by key if it sees it again).</summary>
    public void Remove(QueuedReport report)
    {
        storage.Delete(report.Path);
        storage.SyncDirectory(Directory);
    }

    private void Bound()
    {
        var pending = Pending();
        var sizes = pending.Select(r => storage.Length(r.Path)).ToList();
        var total = sizes.Sum();
        var drop = 0;
        while (pending.Count - drop > ReportLimit || (total > ByteLimit && pending.Count - drop > 1))
        {
            storage.Delete(pending[drop].Path);
            total -= sizes[drop];
            drop++;
        }

        if (drop > 0)
        {
            storage.SyncDirectory(Directory);
            storage.ReplaceAtomically(DroppedFile, Encoding.ASCII.GetBytes((Dropped + drop).ToString(CultureInfo.InvariantCulture) + "\n"));
        }
    }
}
