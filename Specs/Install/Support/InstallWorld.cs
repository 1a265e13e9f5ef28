using Webc.BootSafe.Provision;
using Webc.BootSafe.Specs.Fetch.Support;

namespace Webc.BootSafe.Specs.Install.Support;

/// <summary>A publisher key (Fetch's real ssh-keygen/gpg signers), made once per spec class, and helpers to run the installer.</summary>
public sealed class InstallWorld : IDisposable
{
    private readonly TempDirectory _keys = new("bootsafe-install-keys");

    public InstallWorld() => Publisher = new Signers(_keys.Combine("publisher"), "publisher");

    public Signers Publisher { get; }

    /// <summary>A config.yaml trusting the publisher's SSH key (signatures required: the default).</summary>
    public string SignedConfig(TempDirectory dir, string extra = "")
    {
        var path = dir.Combine("config.yaml");
        File.WriteAllText(path, $"ssh-allowed-signers: {Publisher.AllowedSigners}\nfetch-retries: 0\n{extra}");
        return path;
    }

    /// <summary>Runs the installer in-process; what it printed is returned for failure messages.</summary>
    public static (InstallResult Result, string Output) Install(InstallOptions options, Action<string>? beforeStep = null)
    {
        var output = new StringWriter();
        var result = new Installer(new InstallLog(output, output), beforeStep).Run(options);
        return (result, output.ToString());
    }

    public void Dispose() => _keys.Dispose();
}
