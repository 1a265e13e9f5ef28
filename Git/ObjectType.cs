namespace Webc.BootSafe.Git;

/// <summary>Object types with the numbers packfiles use for them.</summary>
public enum ObjectType
{
    None = 0,
    Commit = 1,
    Tree = 2,
    Blob = 3,
    Tag = 4,
    OffsetDelta = 6,
    RefDelta = 7,
}

/// <summary>What an object header says without inflating the body.</summary>
public readonly record struct ObjectHeader(ObjectType Type, long Size);

/// <summary>The object database is damaged or lacks an object a commit needs.</summary>
public sealed class CorruptRepositoryException(string message, Exception? inner = null)
    : Webc.BootSafe.Medium.Errors.OperationFailedException(message, inner);
