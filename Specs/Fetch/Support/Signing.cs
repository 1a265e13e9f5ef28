namespace Webc.BootSafe.Specs.Fetch.Support;

public enum Signing
{
    None,
    Ssh,
    Gpg,
}
