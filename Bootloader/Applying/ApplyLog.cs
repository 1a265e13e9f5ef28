using System.Collections.Immutable;

namespace Webc.BootSafe.Bootloader.Applying;

/// <summary>What carrying out a transition did, step by step, for the operator and the specs.</summary>
public sealed class ApplyLog
{
    private readonly ImmutableList<string>.Builder _steps = ImmutableList.CreateBuilder<string>();
    private readonly ImmutableList<string>.Builder _warnings = ImmutableList.CreateBuilder<string>();
    private readonly ImmutableList<string>.Builder _pruned = ImmutableList.CreateBuilder<string>();

    public void Step(string step) => _steps.Add(step);

    /// <summary>Something went wrong but was worked around: the transition still took effect.</summary>
    public void Warn(string warning) => _warnings.Add(warning);

    public void Pruned(IReadOnlyList<string> files)
    {
        _pruned.AddRange(files);
        _steps.Add("pruned " + string.Join(", ", files));
    }

    public ImmutableList<string> Steps => _steps.ToImmutable();

    public ImmutableList<string> Warnings => _warnings.ToImmutable();

    public ImmutableList<string> PrunedFiles => _pruned.ToImmutable();
}
