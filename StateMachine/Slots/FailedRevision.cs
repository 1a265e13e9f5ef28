namespace Webc.BootSafe.StateMachine.Slots;

/// <summary>A trial that did not make it, kept so it is never staged again unless forced.</summary>
public sealed record FailedRevision(Revision Revision, string Reason, DateTimeOffset At);
