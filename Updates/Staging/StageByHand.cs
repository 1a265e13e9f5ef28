using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.Updates.Session;

namespace Webc.BootSafe.Updates.Staging;

/// <summary>
/// Use case "stage by hand" (`stage REV`): the kernel files come from --kernel/--initrd or the
/// commit's boot/ in a repository (<see cref="RevisionFiles"/>), the policy is the one fetch resolves
/// (cmdline, downloaded cmdline, config.yaml), and fetch's checks run under the session unless
/// <see cref="Request.NoVerify"/>, which is warned about and recorded in the history.
/// </summary>
public static class StageByHand
{
    /// <param name="Repo">The repository holding the commit (null: the medium's live/filesystem.git).</param>
    public sealed record Request(string Revision, string? Kernel, string? Initrd, string? Repo, bool Force, bool NoVerify);

    public static Outcome Run(MediumLayout layout, Func<MediumSession> openSession, Request request, Action<string> warn, DateTimeOffset now)
    {
        var parameters = BootParameterReader.Read(layout);
        var files = RevisionFiles.Read(layout, request.Revision, request.Kernel, request.Initrd, request.Repo, parameters.KernelFlavour);
        if (request.NoVerify)
        {
            warn($"--no-verify: staging {files.Revision} WITHOUT checking its signature, descent from known-good or tree rules");
        }

        using var session = openSession();
        var repository = request.Repo ?? layout.Repository;
        return new StageRevision(session).Stage(
            files.Revision,
            files.Images,
            request.Force,
            now,
            request.NoVerify ? null : () => VerifyRevision.ForStage(repository, parameters, files.Revision, session.Record),
            request.NoVerify);
    }
}
