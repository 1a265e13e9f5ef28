namespace Webc.BootSafe.Specs.Fetch.Support;

/// <summary>Keys made once per spec class: generating gpg keys takes a few seconds.</summary>
public sealed class FetchWorld : IDisposable
{
    private readonly TempDirectory _dir = new("bootsafe-keys");

    public FetchWorld()
    {
        Trusted = new Signers(_dir.Combine("trusted"), "publisher");
        Stranger = new Signers(_dir.Combine("stranger"), "stranger");
    }

    public Signers Trusted { get; }

    public Signers Stranger { get; }

    public string Config(string remote, string extra = "") =>
        $"""
        remote: {remote}
        ssh-allowed-signers: {Trusted.AllowedSigners}
        openpgp-keyring: {Trusted.Keyring}
        fetch-retries: 0
        kernel-flavour: amd64
        {extra}
        """;

    public void Dispose() => _dir.Dispose();
}
