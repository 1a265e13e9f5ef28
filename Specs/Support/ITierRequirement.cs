namespace Webc.BootSafe.Specs.Support;

/// <summary>A fact or theory attribute that names what its spec needs from the machine.</summary>
public interface ITierRequirement
{
    /// <summary>Why the spec cannot run on this machine, or null when it can.</summary>
    string? Missing { get; }
}
