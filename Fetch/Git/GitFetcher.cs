using LibGit2Sharp;
using Webc.BootSafe.Medium.Errors;

namespace Webc.BootSafe.Fetch.Git;

/// <summary>
/// Fetches with libgit2 into a quarantine repository: never shallow (a shallow fetch is what made
/// Webconverger download the whole repository again), with the machine's refs as "have"s, a byte
/// cap that aborts the transfer, and bounded retries with backoff.
/// </summary>
public static class GitFetcher
{
    public static TransferSnapshot Fetch(Repository quarantine, FetchRequest request, IProgress<TransferSnapshot>? progress)
    {
        // The remote lives in the quarantine's config only, so the medium's config never changes.
        const string remoteName = "bootsafe-upstream";
        if (quarantine.Network.Remotes[remoteName] is null)
        {
            quarantine.Network.Remotes.Add(remoteName, request.Remote);
        }

        TcpStream.Use(request.Limits.StallTimeout);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var watch = new TransferWatch(request.Limits, clock);
        string? givenUp = null;
        var attempt = 0;
        var delay = request.Backoff;
        while (true)
        {
            var last = TransferSnapshot.Nothing;
            var overCap = false;
            string? refused = null;
            using var incoming = new IncomingPack(quarantine.Info.Path, request.MaxObjectBytes);
            var options = new FetchOptions
            {
                TagFetchMode = TagFetchMode.None,
                Prune = false,
                OnTransferProgress = p =>
                {
                    last = new TransferSnapshot(p.ReceivedObjects, p.TotalObjects, p.IndexedObjects, p.ReceivedBytes);
                    progress?.Report(last);
                    overCap = p.ReceivedBytes > request.MaxBytes;
                    givenUp ??= watch.Verdict(p.ReceivedBytes);
                    refused ??= incoming.Poll();
                    return !overCap && givenUp is null && refused is null;
                },
            };

            try
            {
                Commands.Fetch(quarantine, remoteName, IncomingRefs.RefSpecs(request.Revision), options, "webc-bootsafe fetch");
                refused ??= incoming.Poll();
                if (refused is not null)
                {
                    throw new OperationFailedException($"fetch from {request.Remote} refused: {refused}; nothing was changed");
                }

                return last;
            }
            catch (LibGit2SharpException e) when (refused is not null)
            {
                throw new OperationFailedException($"fetch from {request.Remote} refused: {refused}; nothing was changed", e);
            }
            catch (LibGit2SharpException e) when (givenUp is not null)
            {
                throw new OperationFailedException($"fetch from {request.Remote} given up: {givenUp}; nothing was changed", e);
            }
            catch (LibGit2SharpException e) when (overCap || e is UserCancelledException)
            {
                throw new OperationFailedException(
                    $"fetch from {request.Remote} aborted: the transfer passed max-fetch-bytes ({request.MaxBytes} bytes, received {last.ReceivedBytes}); nothing was changed", e);
            }
            catch (LibGit2SharpException e) when (clock.Elapsed + delay > request.Limits.Deadline)
            {
                throw new OperationFailedException(
                    $"fetch from {request.Remote} failed ({e.Message}) and no retry fits in fetch-deadline {request.Limits.Deadline.TotalSeconds:0} s; nothing was changed", e);
            }
            catch (LibGit2SharpException e) when (attempt < request.Retries)
            {
                attempt++;
                Console.Error.WriteLine($"webc-bootsafe: fetch from {request.Remote} failed ({e.Message}); retry {attempt} of {request.Retries} in {delay.TotalSeconds:0.#} s");
                Thread.Sleep(delay);
                delay *= 2;
            }
            catch (LibGit2SharpException e)
            {
                throw new OperationFailedException(
                    $"fetch from {request.Remote} failed after {attempt + 1} attempt(s): {e.Message}", e);
            }
        }
    }
}
