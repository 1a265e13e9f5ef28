namespace Webc.BootSafe.Specs.Packaging;

/// <summary>A fresh minbase root (see <see cref="MinimalDebianRoot"/>) with the package installed by apt.</summary>
public static class InstalledRoot
{
    public static UnpackedRoot Create()
    {
        var root = new UnpackedRoot(MinimalDebianRoot.Tarball(DebPackage.Depends()));
        try
        {
            var deb = Path.GetFileName(DebPackage.Path);
            File.Copy(DebPackage.Path, root.Combine("tmp/" + deb));
            var install = root.Chroot(["apt-get", "install", "-y", "/tmp/" + deb], TimeSpan.FromMinutes(20));
            Assert.True(install.ExitCode == 0, "apt install: " + install);
            return root;
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }
}
