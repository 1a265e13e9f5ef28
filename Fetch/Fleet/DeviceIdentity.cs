using Webc.BootSafe.Fetch.Params;
using Webc.BootSafe.StateMachine.Ports;

namespace Webc.BootSafe.Fetch.Fleet;

/// <summary>
/// Who this kiosk is to the fleet's servers: its machine id, and an optional bearer token.
/// The medium's <c>live/bootsafe/machine-id</c> wins over /etc/machine-id because the root
/// filesystem is a git commit shared by every kiosk (its /etc/machine-id is the same everywhere, or
/// regenerated each boot on a live overlay); the medium is the one thing that is this kiosk's own.
/// </summary>
public sealed record DeviceIdentity(string? MachineId, string? Token)
{
    public const string EtcMachineId = "/etc/machine-id";

    public static string MediumMachineId(MediumLayout layout) => Path.Combine(layout.BootSafe, "machine-id");

    public static string DefaultTokenFile(MediumLayout layout) => Path.Combine(layout.BootSafe, "device-token");

    /// <summary>Reads the identity; a missing file means "none", a token file named in config.yaml must exist.</summary>
    public static DeviceIdentity Read(MediumLayout layout, BootParameters parameters, string etcMachineId = EtcMachineId)
    {
        var id = ReadMachineId(layout, etcMachineId);
        string? token;
        if (parameters.DeviceToken is { } named)
        {
            token = Line(named, "device token") ?? throw new Medium.Errors.BadInputException($"device-token {named} does not exist or is empty");
        }
        else
        {
            token = Line(DefaultTokenFile(layout), "device token");
        }

        // Both travel in HTTP headers: one printable word each, so neither can add a header.
        if (token is not null && !Printable(token))
        {
            throw new Medium.Errors.BadInputException($"device token {parameters.DeviceToken ?? DefaultTokenFile(layout)}: must be one line of printable ASCII without spaces");
        }

        if (id is not null && !Printable(id))
        {
            throw new Medium.Errors.BadInputException($"machine id '{id}' must be one line of printable ASCII without spaces");
        }

        return new DeviceIdentity(id, token);
    }

    /// <summary>The machine id alone (no token, no config.yaml): what a queued report names.</summary>
    public static string? ReadMachineId(MediumLayout layout, string etcMachineId = EtcMachineId) =>
        Line(MediumMachineId(layout), "machine id") ?? Line(etcMachineId, "machine id");

    private static bool Printable(string text) => text.All(c => c is > ' ' and < (char)0x7f);

    private static string? Line(string path, string what)
    {
        var text = BoundedTextFile.ReadIfPresent(path, what, 4096)?.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }
}
