namespace Webc.BootSafe.Mount.Metadata;

/// <summary>
/// User and group names resolved against the mounted commit's own etc/passwd and etc/group (the
/// system that will run from it), never the host's.
/// </summary>
public sealed class AccountNames(string? passwd, string? group)
{
    public uint? User(string name) => Find(passwd, name);

    public uint? Group(string name) => Find(group, name);

    private static uint? Find(string? table, string name)
    {
        if (table is null)
        {
            return null;
        }

        foreach (var line in table.Split('\n'))
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == name && uint.TryParse(fields[2], out var id))
            {
                return id;
            }
        }

        return null;
    }
}
